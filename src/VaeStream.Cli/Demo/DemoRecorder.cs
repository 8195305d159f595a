using System.Collections.Concurrent;
using System.Diagnostics;
using VaeStream.Kafka.Consuming;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Cli.Demo;

/// <summary>One scored event as the demo saw it.</summary>
/// <param name="Key">Event key.</param>
/// <param name="Entity">Host.</param>
/// <param name="Score">Score.</param>
/// <param name="Threshold">Threshold in force.</param>
/// <param name="ModelVersion">Model that scored it.</param>
internal sealed record ScoredEvent(string Key, string? Entity, float Score, double Threshold, int ModelVersion);

/// <summary>
/// Taps the pipeline for the demo: every score (for the timeline), every acknowledged output (for latency), and for
/// unflagged events the gap between each feature's value and the model's expected value (for the expected accuracy).
/// </summary>
internal sealed class DemoRecorder : IScoreObserver, IExpectationObserver
{
    private readonly ConcurrentQueue<IncidentSnapshot> incidents = new();
    private readonly List<double[]> normalValues = [];
    private readonly List<double[]> normalExpected = [];

    private readonly ConcurrentQueue<ScoredEvent> scored = new();
    private readonly ConcurrentQueue<(string Key, double LatencyMs, DateTime SourceTime)> anomalies = new();

    /// <summary>Every scored event, in scoring order.</summary>
    public IReadOnlyCollection<ScoredEvent> ScoredEvents => scored;

    /// <summary>Acknowledged anomalies with their end-to-end latency (source timestamp → broker acknowledgement).</summary>
    public IReadOnlyCollection<(string Key, double LatencyMs, DateTime SourceTime)> Anomalies => anomalies;

    /// <summary>Feature values of the unflagged events, in event units, in scoring order (pipeline thread writes, read after).</summary>
    public IReadOnlyList<double[]> NormalValues => normalValues;

    /// <summary>The model's expected values for the same events.</summary>
    public IReadOnlyList<double[]> NormalExpected => normalExpected;

    /// <summary>Events scored per second between the first and the last score.</summary>
    public double EventsPerSecond { get; private set; }

    private long firstScoredAt;
    private long lastScoredAt;

    /// <inheritdoc />
    public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion)
    {
        long now = Stopwatch.GetTimestamp();
        if (firstScoredAt == 0)
        {
            firstScoredAt = now;
        }

        lastScoredAt = now;
        scored.Enqueue(new ScoredEvent(KeyOf(source), entity, score, threshold, modelVersion));
        EventsPerSecond = scored.Count / Math.Max(1e-3, Stopwatch.GetElapsedTime(firstScoredAt, lastScoredAt).TotalSeconds);
    }

    /// <inheritdoc />
    public void Expected(InputEvent source, string? entity, bool flagged, ReadOnlySpan<double> values, ReadOnlySpan<double> expected)
    {
        if (!flagged)
        {
            normalValues.Add(values.ToArray());
            normalExpected.Add(expected.ToArray());
        }
    }

    /// <summary>Every incident message published, in order.</summary>
    public IReadOnlyCollection<IncidentSnapshot> IncidentMessages => incidents;

    /// <summary>Records an incident message (called on the pipeline thread, or the idle timer's).</summary>
    public void Incident(IncidentSnapshot message) => incidents.Enqueue(message);

    /// <summary>Called on the producer's delivery thread for each acknowledged output.</summary>
    public void Delivered(InputEvent source, string topic, string anomalyTopic)
    {
        if (topic != anomalyTopic)
        {
            return;
        }

        DateTime sourceTime = source.Timestamp.UtcDateTime;
        anomalies.Enqueue((KeyOf(source), (DateTime.UtcNow - sourceTime).TotalMilliseconds, sourceTime));
    }

    private static string KeyOf(InputEvent source) => source.Key is null ? "" : System.Text.Encoding.UTF8.GetString(source.Key);
}
