using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Configuration;

/// <summary>
/// Rewrites an options validation failure in the user's terms. The generated validators say "The field
/// PipelineOptions.MaxBatchSize must be between 1 and 65536."; the user wrote <c>Pipeline:MaxBatchSize</c>.
/// </summary>
internal static partial class OptionsFailures
{
    /// <summary>One line per failure: <c>Section:Key = value: must be ...</c>.</summary>
    public static IEnumerable<string> Describe(OptionsValidationException failure, string section, IConfiguration configuration) =>
        failure.Failures.Select(message => Describe(message, failure.OptionsType.Name, section, configuration));

    private static string Describe(string message, string typeName, string section, IConfiguration configuration)
    {
        Match match = MemberPrefix().Match(message);
        if (!match.Success)
        {
            return $"{section}: {message.Replace(typeName + ".", section + ":", StringComparison.Ordinal)}";
        }

        string member = match.Groups["member"].Value;
        string key = $"{section}:{member}";
        string rule = match.Groups["rule"].Value;
        rule = FieldMust().Replace(rule, "must");
        rule = FieldRequired().Replace(rule, "is required");
        rule = rule.Replace(typeName + "." + member, key, StringComparison.Ordinal).TrimEnd('.');
        string? value = configuration[key];
        return value is null ? $"{key}: {rule}" : $"{key} = '{value}': {rule}";
    }

    [GeneratedRegex(@"^(?<member>\w+): (?<rule>.*)$", RegexOptions.Singleline)]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"^The field \S+ must")]
    private static partial Regex FieldMust();

    [GeneratedRegex(@"^The \S+ field is required")]
    private static partial Regex FieldRequired();
}
