using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeStream.Model.Aggregation;

namespace VaeStream.Model.Features;

/// <summary>How a feature's value is transformed before scaling.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureTransform>))]
public enum FeatureTransform
{
    /// <summary>The value is used as it is.</summary>
    None,

    /// <summary>log(1 + x), for heavy-tailed non-negative metrics such as latencies and counts.</summary>
    Log1p,
}

/// <summary>What happens when an event lacks a feature (absent, or JSON null, or an empty CSV cell).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingValuePolicy>))]
public enum MissingValuePolicy
{
    /// <summary>The event is rejected with an error that names the feature.</summary>
    Reject,

    /// <summary>The training mean of the feature is used.</summary>
    ImputeMean,

    /// <summary>The entity's last seen value is used; the training mean before the first one.</summary>
    CarryForward,
}

/// <summary>One model input: a name and where to find it in an event.</summary>
public sealed record FeatureDefinition
{
    /// <summary>Name used in reports and anomaly messages.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Dotted path with array indices (<c>latency_ms.p99</c>, <c>disks[0].util</c>), or a CSV column. In an aggregated
    /// schema, the field that is aggregated; <c>count</c> and <c>ratio</c> need none.
    /// </summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Transform applied after extraction.</summary>
    public FeatureTransform Transform { get; init; } = FeatureTransform.None;

    /// <summary>What to do when the value is missing (in an aggregated schema: when no event of the interval gave one).</summary>
    public MissingValuePolicy Missing { get; init; } = MissingValuePolicy.Reject;

    /// <summary>Aggregated schemas only: how the interval's values become the feature.</summary>
    public AggregateKind? Aggregate { get; init; }

    /// <summary>For <see cref="AggregateKind.Percentile"/>: which one, above 0 and below 100 (99 is the p99).</summary>
    public double? Percentile { get; init; }

    /// <summary>Aggregated schemas only: the feature sees only the records that pass this condition.</summary>
    public FeatureFilter? Where { get; init; }

    /// <summary>
    /// Aggregated schemas only, for narrow metrics: the feature sees only records whose fields have these values (path
    /// → value, compared as text), for example <c>{"plugin": "cpu", "type_instance": "user"}</c> for collectd.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Match { get; init; }

    /// <summary>For <see cref="AggregateKind.Ratio"/>: the feature divided.</summary>
    public string? Numerator { get; init; }

    /// <summary>For <see cref="AggregateKind.Ratio"/>: the feature it is divided by.</summary>
    public string? Denominator { get; init; }
}

/// <summary>Describes the model input: features, entity key, timestamp and time window.</summary>
public sealed record FeatureSchema
{
    /// <summary>The features, in model-input order.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary>Path of the entity key (host, server, ...); events of one entity share a window history.</summary>
    public string? EntityKeyPath { get; init; }

    /// <summary>Path of the event timestamp: Unix milliseconds or an ISO-8601 string.</summary>
    public string? TimestampPath { get; init; }

    /// <summary>Rows per model input: the newest row and the W−1 before it of the same entity. 1 is point-wise.</summary>
    public int Window { get; init; } = 1;

    /// <summary>
    /// When set, a row is one entity's interval of events, each feature an aggregate of their fields
    /// (<see cref="FeatureDefinition.Aggregate"/>); when null, a row is one event.
    /// </summary>
    public AggregationOptions? Aggregation { get; init; }

    /// <summary>How a numeric timestamp is read. Seconds is for aggregated schemas (collectd, Telegraf).</summary>
    public TimestampUnit TimestampUnit { get; init; } = TimestampUnit.Milliseconds;

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Number of features in one row.</summary>
    [JsonIgnore]
    public int FeatureCount => Features.Count;

    /// <summary>Width of one model input: <see cref="Window"/> × <see cref="FeatureCount"/>.</summary>
    [JsonIgnore]
    public int InputWidth => Window * Features.Count;

    /// <summary>Feature names in model-input order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FeatureNames => Features.Select(f => f.Name).ToArray();

    /// <summary>
    /// Hash of everything that shapes the model input (names, paths, transforms, window). Two schemas with the
    /// same hash can share a model; the missing-value policies and the timestamp path do not enter it.
    /// </summary>
    public string ComputeHash()
    {
        var canonical = new StringBuilder();
        canonical.Append("window=").Append(Window).Append('\n');
        foreach (FeatureDefinition feature in Features)
        {
            canonical.Append(feature.Name).Append('|').Append(feature.Path).Append('|').Append(feature.Transform).Append('\n');
        }

        // Only an aggregated schema adds to the text, so that every per-event schema keeps the hash its models carry.
        if (Aggregation is { } aggregation)
        {
            canonical.Append("interval=").Append(aggregation.Interval.Ticks).Append('\n');
            foreach (FeatureDefinition feature in Features)
            {
                canonical.Append(feature.Name).Append('|').Append(feature.Aggregate).Append('|').Append(feature.Percentile)
                    .Append('|').Append(feature.Numerator).Append('|').Append(feature.Denominator)
                    .Append('|').Append(feature.Where is { } w ? $"{w.Path} {w.Op} {w.Value.GetRawText()}" : "")
                    .Append('|').Append(feature.Match is { } m ? string.Join(",", m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "")
                    .Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
    }

    /// <summary>Checks the schema and throws a <see cref="SchemaException"/> naming the offending key.</summary>
    public FeatureSchema Validate()
    {
        if (Features is null || Features.Count == 0)
        {
            throw new SchemaException("features: at least one feature is required.");
        }

        if (Window is < 1 or > 1000)
        {
            throw new SchemaException($"window: {Window} is out of range; allowed 1..1000.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Features.Count; i++)
        {
            FeatureDefinition feature = Features[i];
            if (string.IsNullOrWhiteSpace(feature.Name))
            {
                throw new SchemaException($"features[{i}].name: a non-empty name is required.");
            }

            if (!names.Add(feature.Name))
            {
                throw new SchemaException($"features[{i}].name: '{feature.Name}' is used twice; names must be unique.");
            }

            if (Aggregation is null)
            {
                _ = FeaturePath.Parse(feature.Path, $"features[{i}].path");
                AggregateSchemaRules.RejectAggregateKeys(feature, i);
            }
        }

        if (Aggregation is not null)
        {
            AggregateSchemaRules.Validate(this);
        }
        else if (TimestampUnit != TimestampUnit.Milliseconds)
        {
            throw new SchemaException($"timestampUnit: {TimestampUnit} is read only in an aggregated schema (one with 'aggregation'); per-event schemas read Unix milliseconds or ISO-8601.");
        }

        if (EntityKeyPath is not null)
        {
            _ = FeaturePath.Parse(EntityKeyPath, "entityKeyPath");
        }

        if (TimestampPath is not null)
        {
            _ = FeaturePath.Parse(TimestampPath, "timestampPath");
        }

        return this;
    }

    /// <summary>Reads and validates a schema file.</summary>
    public static FeatureSchema Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaException($"schema file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates a schema from JSON text.</summary>
    public static FeatureSchema Parse(string json, string source = "schema")
    {
        try
        {
            FeatureSchema? schema = JsonSerializer.Deserialize<FeatureSchema>(json, JsonOptions);
            return (schema ?? throw new SchemaException($"{source}: the file holds no schema object.")).Validate();
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{source}: invalid schema JSON at {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    /// <summary>Serializes the schema as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A point-wise schema over the given columns, every feature required and untransformed.</summary>
    public static FeatureSchema ForColumns(IEnumerable<string> columns, int window = 1) => new FeatureSchema
    {
        Features = columns.Select(c => new FeatureDefinition { Name = c, Path = c }).ToArray(),
        Window = window,
    }.Validate();
}

/// <summary>A schema or schema file that cannot be used; the message names the key.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SchemaException(string message, Exception inner) : base(message, inner)
    {
    }
}
