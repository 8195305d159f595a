using System.Text.Json.Serialization;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// The <c>aggregation</c> section of a schema: each model row is one entity's interval of events, not one event.
/// An interval is <c>[k × Interval, (k + 1) × Interval)</c> of event time, aligned to the Unix epoch.
/// </summary>
public sealed record AggregationOptions
{
    /// <summary>The length of one row's interval of event time, for example <c>"10s"</c> or <c>"1m"</c>.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan Interval { get; init; }

    /// <summary>
    /// How long after an interval's end its entity's events may still arrive: the interval closes once an event of
    /// that entity at or past <c>end + AllowedLateness</c> is read. Zero closes it at the first event of the next one.
    /// </summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan AllowedLateness { get; init; }

    /// <summary>
    /// Processing time after an entity's last event at which its open intervals close anyway (the entity went quiet, or
    /// the stream stopped). Null means <c>Interval + AllowedLateness</c>.
    /// </summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>What happens to an event whose interval has already closed.</summary>
    public LateEventPolicy LateEvents { get; init; } = LateEventPolicy.DeadLetter;

    /// <summary>The idle timeout in force.</summary>
    [JsonIgnore]
    public TimeSpan EffectiveIdleTimeout => IdleTimeout ?? Interval + AllowedLateness;
}

/// <summary>What the worker does with an event that arrives after its interval closed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LateEventPolicy>))]
public enum LateEventPolicy
{
    /// <summary>Copied to the dead-letter topic with kind <c>Late</c>, so nothing disappears unseen.</summary>
    DeadLetter,

    /// <summary>Passed over, its offset stored; counted in <c>vaestream_late_events_total</c> either way.</summary>
    Drop,
}

/// <summary>How a feature summarises its entity's events in one interval.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AggregateKind>))]
public enum AggregateKind
{
    /// <summary>Matching events (records); 0 when there are none.</summary>
    Count,

    /// <summary>Sum of the field; 0 when no event matched.</summary>
    Sum,

    /// <summary>Mean of the field.</summary>
    Mean,

    /// <summary>Smallest value.</summary>
    Min,

    /// <summary>Largest value.</summary>
    Max,

    /// <summary>The value with the latest event time (the last read, on a tie).</summary>
    Last,

    /// <summary>
    /// Per-second change of the field from its earliest to its latest sample in the interval: a counter's rate.
    /// Missing with fewer than two samples, or when the counter went down (a reset).
    /// </summary>
    Rate,

    /// <summary>The <c>percentile</c>-th percentile of the field; see <see cref="PercentileBuffer"/> for its error.</summary>
    Percentile,

    /// <summary>Distinct values of the field; exact up to 256, then estimated (<see cref="DistinctSketch"/>).</summary>
    Distinct,

    /// <summary><c>numerator</c> ÷ <c>denominator</c>, two other features of the schema; missing when the denominator is 0.</summary>
    Ratio,
}
