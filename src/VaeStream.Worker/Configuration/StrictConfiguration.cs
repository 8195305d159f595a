using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace VaeStream.Worker.Configuration;

/// <summary>
/// Refuses settings the worker would otherwise ignore or fail on later: unknown sections, unknown keys in a known
/// section, and values the configuration binder cannot convert. The binder itself skips unknown keys silently, so a
/// typo such as <c>Pipeline:MaxBatchSzie</c> would run with the default.
/// </summary>
internal sealed class StrictConfiguration(IReadOnlyDictionary<string, Type> sections, IReadOnlyCollection<string> freeFormSections)
{
    /// <summary>Throws a <see cref="ConfigurationException"/> listing every problem found, or returns.</summary>
    public void Check(IConfiguration configuration)
    {
        List<string> problems = Problems(configuration).ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>Each problem as one line that names the key as the user wrote it.</summary>
    public IEnumerable<string> Problems(IConfiguration configuration)
    {
        string[] known = [.. sections.Keys, .. freeFormSections];
        foreach (IConfigurationSection section in configuration.GetChildren())
        {
            if (freeFormSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            Type? options = sections.FirstOrDefault(s => string.Equals(s.Key, section.Key, StringComparison.OrdinalIgnoreCase)).Value;
            if (options is null)
            {
                yield return $"unknown section '{section.Key}'{KeySuggestion.Hint(section.Key, known)}; the sections are {string.Join(", ", sections.Keys)} and Logging";
                continue;
            }

            foreach (string problem in SectionProblems(section, options))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> SectionProblems(IConfigurationSection section, Type options)
    {
        PropertyInfo[] properties = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        foreach (IConfigurationSection entry in section.GetChildren())
        {
            PropertyInfo? property = properties.FirstOrDefault(p => string.Equals(p.Name, entry.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                yield return $"unknown key '{entry.Path}'{KeySuggestion.Hint(entry.Key, properties.Select(p => p.Name))}";
                continue;
            }

            foreach (string problem in ValueProblems(entry, property.PropertyType))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> ValueProblems(IConfigurationSection entry, Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return DictionaryProblems(entry, type.GetGenericArguments()[1]);
        }

        if (IsOptionsClass(type))
        {
            // A nested settings class (Alerting:Alertmanager): its keys are checked like a section's.
            return entry.GetChildren().Any() || string.IsNullOrEmpty(entry.Value)
                ? SectionProblems(entry, type)
                : [$"'{entry.Path}' is a section, not a single value"];
        }

        return ValueProblem(entry, type) is { } problem ? [problem] : [];
    }

    private static IEnumerable<string> DictionaryProblems(IConfigurationSection entry, Type valueType)
    {
        if (!entry.GetChildren().Any())
        {
            return string.IsNullOrEmpty(entry.Value) ? [] : [$"'{entry.Path}' is a section of name/value pairs, not a single value"];
        }

        // Names are free (librdkafka properties, feature names); values are single values or, for a settings class, its keys.
        return entry.GetChildren().SelectMany(child => IsOptionsClass(valueType)
            ? ValueProblems(child, valueType)
            : child.GetChildren().Any() ? [$"'{child.Path}' must be a single value, not a section"] : ValueProblem(child, valueType) is { } p ? [p] : []);
    }

    private static bool IsOptionsClass(Type type) => type.IsClass && type != typeof(string) && !type.IsGenericType;

    private static string? ValueProblem(IConfigurationSection entry, Type type)
    {
        bool hasChildren = entry.GetChildren().Any();

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (!hasChildren)
            {
                return string.IsNullOrEmpty(entry.Value)
                    ? null
                    : $"'{entry.Path}' is a list: write its items as {entry.Path}:0, {entry.Path}:1, ... (environment: VAESTREAM__{entry.Path.Replace(":", "__", StringComparison.Ordinal)}__0)";
            }

            return entry.GetChildren().Where(c => !int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Select(c => $"'{c.Path}': a list item's key must be its index 0, 1, ...").FirstOrDefault();
        }

        if (hasChildren)
        {
            return $"'{entry.Path}' is a single value, not a section";
        }

        Type scalar = Nullable.GetUnderlyingType(type) ?? type;
        if (entry.Value is null || scalar == typeof(string))
        {
            return null;
        }

        try
        {
            TypeDescriptor.GetConverter(scalar).ConvertFromInvariantString(entry.Value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return $"{entry.Path}: '{entry.Value}' is not {Expected(scalar)}";
        }
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "a duration (hh:mm:ss[.fff], e.g. 00:00:00.010 for 10 ms)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number (with a '.' decimal point)",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ => $"a {type.Name}",
    };
}
