using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeStream.Kafka.Configuration;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Deployment;

/// <summary>
/// The README's configuration table, config/appsettings.json and the options classes name the same keys, and the
/// table's defaults are the shipped ones: operators read the table, the worker reads the classes.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Type[] OptionsTypes =
        [typeof(KafkaOptions), typeof(PipelineOptions), typeof(RetrainingOptions), typeof(CheckpointOptions), typeof(FeaturesOptions), typeof(OperationsOptions)];

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
            string[] parts = key.Split(':');
            JsonElement value = default;
            Assert.True(Shipped.TryGetProperty(parts[0], out JsonElement section) && section.TryGetProperty(parts[1], out value),
                $"config/appsettings.json does not set {key}");
            Assert.True(Table[key] == Render(value), $"{key}: README says {Table[key]}, config/appsettings.json ships {Render(value)}");
        }
    }

    [Fact]
    public void The_code_defaults_match_the_shipped_settings_where_the_code_has_one()
    {
        foreach (Type type in OptionsTypes)
        {
            object defaults = Activator.CreateInstance(type)!;
            foreach (PropertyInfo property in Properties(type).Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string)))
            {
                string key = $"{Section(type)}:{property.Name}";
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

    private static IEnumerable<string> CodeKeys() =>
        OptionsTypes.SelectMany(type => Properties(type).Select(p => $"{Section(type)}:{p.Name}"));

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

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z]+:[A-Za-z]+)` \| `(?<default>[^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
