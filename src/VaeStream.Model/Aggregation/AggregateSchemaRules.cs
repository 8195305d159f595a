using System.Text.Json;
using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>The checks of an aggregated schema; each error names the schema key, as the per-event checks do.</summary>
internal static class AggregateSchemaRules
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static void Validate(FeatureSchema schema)
    {
        AggregationOptions aggregation = schema.Aggregation!;
        if (aggregation.Interval < TimeSpan.FromMilliseconds(100) || aggregation.Interval > Longest)
        {
            throw new SchemaException($"aggregation.interval: {DurationJsonConverter.Format(aggregation.Interval)} is out of range; allowed 100ms to 24h (for example \"10s\" or \"1m\").");
        }

        if (aggregation.AllowedLateness < TimeSpan.Zero || aggregation.AllowedLateness > Longest)
        {
            throw new SchemaException($"aggregation.allowedLateness: {DurationJsonConverter.Format(aggregation.AllowedLateness)} is out of range; allowed 0s to 24h.");
        }

        if (aggregation.IdleTimeout is { } idle && (idle <= TimeSpan.Zero || idle > Longest))
        {
            throw new SchemaException($"aggregation.idleTimeout: {DurationJsonConverter.Format(idle)} is out of range; allowed above 0s up to 24h, or leave it out for interval + allowedLateness.");
        }

        if (schema.TimestampPath is null)
        {
            throw new SchemaException("timestampPath: an aggregated schema needs each event's time, because its intervals are of event time.");
        }

        var plain = new HashSet<string>(StringComparer.Ordinal);
        foreach (FeatureDefinition feature in schema.Features)
        {
            if (feature.Aggregate is not AggregateKind.Ratio)
            {
                plain.Add(feature.Name);
            }
        }

        for (int i = 0; i < schema.Features.Count; i++)
        {
            Validate(schema.Features[i], i, plain);
        }
    }

    public static void RejectAggregateKeys(FeatureDefinition feature, int index)
    {
        string? key = feature switch
        {
            { Aggregate: not null } => "aggregate",
            { Percentile: not null } => "percentile",
            { Where: not null } => "where",
            { Match: not null } => "match",
            { Numerator: not null } => "numerator",
            { Denominator: not null } => "denominator",
            _ => null,
        };
        if (key is not null)
        {
            throw new SchemaException($"features[{index}].{key}: only an aggregated schema reads this key; add an 'aggregation' section with its interval, or remove the key.");
        }
    }

    private static void Validate(FeatureDefinition feature, int i, HashSet<string> plain)
    {
        string at = $"features[{i}]";
        if (feature.Aggregate is not { } kind)
        {
            throw new SchemaException($"{at}.aggregate: an aggregated schema needs one of count, sum, mean, min, max, last, rate, percentile, distinct, ratio for '{feature.Name}'.");
        }

        bool needsPath = kind is not (AggregateKind.Count or AggregateKind.Ratio);
        if (needsPath || !string.IsNullOrEmpty(feature.Path))
        {
            _ = FeaturePath.Parse(feature.Path, $"{at}.path");
        }

        if ((kind == AggregateKind.Percentile) != feature.Percentile.HasValue)
        {
            throw new SchemaException(kind == AggregateKind.Percentile
                ? $"{at}.percentile: the percentile aggregate needs which one, for example 99."
                : $"{at}.percentile: set only with aggregate percentile.");
        }

        if (feature.Percentile is { } p && !(p > 0 && p < 100))
        {
            throw new SchemaException($"{at}.percentile: {p} is out of range; allowed above 0 and below 100.");
        }

        if (kind == AggregateKind.Ratio)
        {
            CheckRatioOperand(feature.Numerator, $"{at}.numerator", feature.Name, plain);
            CheckRatioOperand(feature.Denominator, $"{at}.denominator", feature.Name, plain);
            if (feature.Where is not null || feature.Match is not null)
            {
                throw new SchemaException($"{at}.{(feature.Where is not null ? "where" : "match")}: a ratio divides two other features; put the condition on them.");
            }
        }
        else if (feature.Numerator is not null || feature.Denominator is not null)
        {
            throw new SchemaException($"{at}.{(feature.Numerator is not null ? "numerator" : "denominator")}: set only with aggregate ratio.");
        }

        if (feature.Where is { } where)
        {
            _ = FeaturePath.Parse(where.Path, $"{at}.where.path");
            JsonValueKind value = where.Value.ValueKind;
            bool ordering = where.Op is not (FilterOperator.Eq or FilterOperator.Ne);
            if (ordering ? value != JsonValueKind.Number : value is not (JsonValueKind.Number or JsonValueKind.String))
            {
                throw new SchemaException($"{at}.where.value: {(value == JsonValueKind.Undefined ? "missing" : where.Value.GetRawText())} cannot be compared with op {where.Op.ToString().ToLowerInvariant()}; it needs {(ordering ? "a number" : "a number or a string")}.");
            }
        }

        if (feature.Match is { } match)
        {
            foreach ((string path, string expected) in match)
            {
                _ = FeaturePath.Parse(path, $"{at}.match");
                if (expected is null)
                {
                    throw new SchemaException($"{at}.match.{path}: the value to match is null; give the text the field must have.");
                }
            }
        }
    }

    private static void CheckRatioOperand(string? name, string key, string self, HashSet<string> plain)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new SchemaException($"{key}: the ratio '{self}' needs the name of another (non-ratio) feature here.");
        }

        if (!plain.Contains(name))
        {
            throw new SchemaException($"{key}: '{name}' is not a non-ratio feature of this schema.");
        }
    }
}
