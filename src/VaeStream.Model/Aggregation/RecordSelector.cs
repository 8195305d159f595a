using System.Text;
using System.Text.Json;
using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Whether a record counts for one feature: every <c>match</c> field has its value (compared as text), and the
/// <c>where</c> condition holds. A record without a compared field does not count.
/// </summary>
internal sealed class RecordSelector
{
    private readonly (IReadOnlyList<PathSegment> Path, byte[] Expected)[] matches;
    private readonly (IReadOnlyList<PathSegment> Path, FeatureFilter Filter)? filter;

    public RecordSelector(FeatureDefinition feature)
    {
        matches = feature.Match?.Select(m => (FeaturePath.Parse(m.Key, feature.Name), Encoding.UTF8.GetBytes(m.Value))).ToArray() ?? [];
        filter = feature.Where is { } where ? (FeaturePath.Parse(where.Path, feature.Name), where) : null;
    }

    public bool Selects(JsonElement record)
    {
        foreach ((IReadOnlyList<PathSegment> path, byte[] expected) in matches)
        {
            if (JsonElements.Find(record, path) is not { } field || !JsonElements.TextEquals(field, expected))
            {
                return false;
            }
        }

        return filter is not ({ } wherePath, { } condition) || Holds(JsonElements.Find(record, wherePath), condition);
    }

    private static bool Holds(JsonElement? field, FeatureFilter condition)
    {
        if (field is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (condition.Value.ValueKind == JsonValueKind.String)
        {
            bool equal = JsonElements.Text(value) == condition.Value.GetString();
            return condition.Op == FilterOperator.Eq ? equal : !equal;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return condition.Op == FilterOperator.Ne;
        }

        double left = value.GetDouble(), right = condition.Value.GetDouble();
        return condition.Op switch
        {
            FilterOperator.Eq => left == right,
            FilterOperator.Ne => left != right,
            FilterOperator.Gt => left > right,
            FilterOperator.Gte => left >= right,
            FilterOperator.Lt => left < right,
            _ => left <= right,
        };
    }
}
