using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeStream.Worker.Configuration;

namespace VaeStream.Worker.Tests.Deployment;

/// <summary>
/// The README's configuration table, config/appsettings.json and the options classes name the same keys, and the
/// table's defaults are the shipped ones: operators read the table, the worker reads the classes.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    // Every section the worker binds, so a new one cannot be left out of the README.
    private static readonly Type[] OptionsTypes = [.. WorkerSettings.Sections.Values];

    private static readonly Dictionary<string, string> Table = ReadTable();

    private static readonly JsonElement Shipped = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "config", "appsettings.json"))).RootElement;

    [Fact]
    public void The_readme_table_lists_every_options_property_and_nothing_else()
    {
        var inCode = CodeKeys().ToHashSet();
        Assert.Empty(inCode.Except(Table.Keys).Select(k => $"missing from the README table: {k}"));
        Assert.Empty(Table.Keys.Except(inCode).Select(k => $"in the README table but not in any options class: {k}"));
    }

    [Fact]
    public void The_shipped_settings_set_every_key_to_the_default_the_readme_gives()
    {
        foreach (string key in CodeKeys())
        {
            JsonElement value = Shipped;
            Assert.True(key.Split(':').All(part => value.TryGetProperty(part, out value)), $"config/appsettings.json does not set {key}");
            Assert.True(Table[key] == Render(value), $"{key}: README says {Table[key]}, config/appsettings.json ships {Render(value)}");
        }
    }

    [Fact]
    public void The_code_defaults_match_the_shipped_settings_where_the_code_has_one()
    {
        foreach ((string prefix, Type type) in OptionsTypes.Select(t => (Section(t), t)).Concat(Nested()))
        {
            object defaults = Activator.CreateInstance(type)!;
            foreach (PropertyInfo property in Properties(type).Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string)))
            {
                string key = $"{prefix}:{property.Name}";
                string shipped = Table[key] == "\"\"" ? "" : Table[key];
                bool same = property.GetValue(defaults) switch
                {
                    TimeSpan t => TimeSpan.Parse(shipped, CultureInfo.InvariantCulture) == t,
                    double d => double.Parse(shipped, CultureInfo.InvariantCulture) == d,
                    bool b => bool.Parse(shipped) == b,
                    object o => Convert.ToString(o, CultureInfo.InvariantCulture) == shipped,
                    null => shipped.Length == 0,
                };
                Assert.True(same, $"{key}: the code defaults to {property.GetValue(defaults)}, the README and appsettings.json say {Table[key]}");
            }
        }
    }

    private static IEnumerable<string> CodeKeys() => OptionsTypes.SelectMany(type => Keys(Section(type), type));

    // A settings class inside a section (Alerting:Alertmanager) is listed key by key.
    private static IEnumerable<string> Keys(string prefix, Type type) =>
        Properties(type).SelectMany(p => IsSettingsClass(p.PropertyType) ? Keys($"{prefix}:{p.Name}", p.PropertyType) : [$"{prefix}:{p.Name}"]);

    private static IEnumerable<(string Prefix, Type Type)> Nested() =>
        OptionsTypes.SelectMany(t => Properties(t).Where(p => IsSettingsClass(p.PropertyType)).Select(p => ($"{Section(t)}:{p.Name}", p.PropertyType)));

    private static bool IsSettingsClass(Type type) => type.IsClass && type != typeof(string) && !type.IsGenericType;

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static string Section(Type type) => (string)type.GetField("Section")!.GetRawConstantValue()!;

    // Strings as written, numbers and booleans as JSON, arrays and objects as compact JSON; an empty string as "".
    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : "\"\"",
        JsonValueKind.Array or JsonValueKind.Object => JsonSerializer.Serialize(value),
        _ => value.GetRawText(),
    };

    private static Dictionary<string, string> ReadTable()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        return TableRow().Matches(readme).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["default"].Value);
    }

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z]+(:[A-Za-z]+)+)` \| `(?<default>[^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
