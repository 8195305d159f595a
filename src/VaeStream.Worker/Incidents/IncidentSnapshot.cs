using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Incidents;

/// <summary>Where an event came from, in the input topics.</summary>
public readonly record struct SourcePosition(string Topic, int Partition, long Offset);

/// <summary>One flagged event, as the incident tracker keeps it.</summary>
/// <param name="At">Its input record.</param>
/// <param name="EventTime">Its event time.</param>
/// <param name="Score">Its score.</param>
/// <param name="Threshold">The model's threshold.</param>
/// <param name="ModelId">The model that scored it.</param>
/// <param name="Contributions">The leading features, largest share first.</param>
/// <param name="Event">The event, verbatim (JSON).</param>
public sealed record AnomalyPoint(SourcePosition At, DateTimeOffset EventTime, float Score, double Threshold, string ModelId,
    IReadOnlyList<FeatureContribution> Contributions, byte[] Event)
{
    /// <summary>The feature with the largest share, or null.</summary>
    public string? LeadingFeature => Contributions.Count > 0 ? Contributions[0].Feature : null;
}

/// <summary>What an incident message says: open, update or resolved.</summary>
public enum IncidentState
{
    /// <summary>The first message of an incident.</summary>
    Open,

    /// <summary>A material change, or the periodic refresh.</summary>
    Update,

    /// <summary>The last message: the quiet period passed, or the entity went idle.</summary>
    Resolved,
}

/// <summary>A feature that drove an incident: its largest share so far, and its value and expected value at the peak.</summary>
public sealed record IncidentFeature(string Feature, float MaxShare, float ValueAtPeak, float ExpectedAtPeak);

/// <summary>An incident as one message states it; immutable, so the Alertmanager sink may read it on its own thread.</summary>
public sealed record IncidentSnapshot
{
    /// <summary>Stable id: the same entity and first anomaly always give the same id, so replays update, never reopen.</summary>
    public required string Id { get; init; }

    /// <summary><c>anomaly</c>, or <c>drift</c> for the alarm-rate guard's drift.</summary>
    public required string Kind { get; init; }

    /// <summary>The entity (schema entity key, else the input key).</summary>
    public required string Entity { get; init; }

    /// <summary>Per incident, 1 for the open message and one more per message after it.</summary>
    public required int Sequence { get; init; }

    public required IncidentState State { get; init; }

    /// <summary>Event time of the first anomaly.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Event time of the last anomaly (the end once resolved).</summary>
    public required DateTimeOffset End { get; init; }

    public required SourcePosition FirstSource { get; init; }

    public required SourcePosition LastSource { get; init; }

    /// <summary>Anomalies counted into the incident.</summary>
    public required int Anomalies { get; init; }

    /// <summary>Events of the entity scored since it opened.</summary>
    public required int Scored { get; init; }

    public required float PeakScore { get; init; }

    public required double Threshold { get; init; }

    /// <summary>The models that scored its anomalies, oldest first.</summary>
    public required IReadOnlyList<string> ModelIds { get; init; }

    /// <summary>The features that drove it, the one with the largest sum of shares first.</summary>
    public required IReadOnlyList<IncidentFeature> Features { get; init; }

    /// <summary>The first anomalous event, verbatim.</summary>
    public byte[]? FirstEvent { get; init; }

    /// <summary>The peak anomalous event, verbatim.</summary>
    public byte[]? PeakEvent { get; init; }

    /// <summary>Why it resolved, once resolved: <c>quiet</c> or <c>idle</c>.</summary>
    public string? ResolvedBy { get; init; }
}
