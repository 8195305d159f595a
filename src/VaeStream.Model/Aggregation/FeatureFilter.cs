using System.Text.Json;
using System.Text.Json.Serialization;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// A condition on one field of a record, for filtered aggregations: <c>{"path": "status", "op": "gte", "value": 500}</c>
/// counts server errors. A record without the field does not match.
/// </summary>
public sealed record FeatureFilter
{
    /// <summary>The field compared.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The comparison.</summary>
    public FilterOperator Op { get; init; } = FilterOperator.Eq;

    /// <summary>
    /// What the field is compared with: a number (compared as numbers) or a string (compared as text; a numeric
    /// field is compared by its JSON text). Ordering operators need a number.
    /// </summary>
    public JsonElement Value { get; init; }
}

/// <summary>How a <see cref="FeatureFilter"/> compares.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilterOperator>))]
public enum FilterOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal (a record without the field still does not match).</summary>
    Ne,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Gte,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Lte,
}

/// <summary>How a schema's timestamp number is read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimestampUnit>))]
public enum TimestampUnit
{
    /// <summary>Unix milliseconds (an integer).</summary>
    Milliseconds,

    /// <summary>Unix seconds, fractions allowed: collectd's <c>time</c>, Telegraf's default precision.</summary>
    Seconds,
}
