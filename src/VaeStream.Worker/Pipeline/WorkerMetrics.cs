using System.Diagnostics.Metrics;

namespace VaeStream.Worker.Pipeline;

/// <summary>One finished retrain.</summary>
/// <param name="Version">The model version it would publish.</param>
/// <param name="Accepted">Whether it went live.</param>
/// <param name="Seconds">Training and validation wall time.</param>
/// <param name="Rows">Rows it trained on.</param>
/// <param name="StartedAt">Stopwatch timestamp of the start.</param>
/// <param name="FinishedAt">Stopwatch timestamp of the end.</param>
public sealed record RetrainRecord(int Version, bool Accepted, double Seconds, int Rows, long StartedAt = 0, long FinishedAt = 0);

/// <summary>
/// The worker's counters and gauges, as <see cref="Meter"/> instruments (for exporters) and as plain values (for
/// the demo report, tests and health checks). Thread-safe.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    /// <summary>The meter name exporters subscribe to.</summary>
    public const string MeterName = "VaeStream.Worker";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> scored;
    private readonly Counter<long> flagged;
    private readonly Counter<long> deadLettered;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> scoringSeconds;
    private long scoredTotal;
    private long flaggedTotal;
    private long deadLetteredTotal;
    private long batches;
    private long retrains;
    private long rejectedRetrains;
    private readonly System.Collections.Concurrent.ConcurrentQueue<RetrainRecord> retrainHistory = new();
    private int modelVersion;
    private double threshold = double.NaN;

    /// <summary>Creates the instruments.</summary>
    public WorkerMetrics()
    {
        scored = meter.CreateCounter<long>("vaestream.events.scored", description: "Events scored");
        flagged = meter.CreateCounter<long>("vaestream.events.flagged", description: "Events published as anomalies");
        deadLettered = meter.CreateCounter<long>("vaestream.events.dead_lettered", description: "Events sent to the dead-letter topic");
        batchSize = meter.CreateHistogram<int>("vaestream.batch.size", description: "Events per micro-batch");
        scoringSeconds = meter.CreateHistogram<double>("vaestream.batch.scoring_duration", "s", "Feature extraction and VAE time per batch");
        meter.CreateObservableGauge("vaestream.model.version", () => Volatile.Read(ref modelVersion), description: "Live model version");
        meter.CreateObservableGauge("vaestream.model.threshold", () => Volatile.Read(ref threshold), description: "Live model threshold");
        meter.CreateObservableCounter("vaestream.retrains", () => Interlocked.Read(ref retrains), description: "Accepted retrains");
        meter.CreateObservableCounter("vaestream.retrains.rejected", () => Interlocked.Read(ref rejectedRetrains), description: "Rejected retrains");
    }

    /// <summary>Events scored.</summary>
    public long Scored => Interlocked.Read(ref scoredTotal);

    /// <summary>Events flagged as anomalies.</summary>
    public long Flagged => Interlocked.Read(ref flaggedTotal);

    /// <summary>Events dead-lettered.</summary>
    public long DeadLettered => Interlocked.Read(ref deadLetteredTotal);

    /// <summary>Batches processed.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Accepted retrains.</summary>
    public long Retrains => Interlocked.Read(ref retrains);

    /// <summary>Rejected retrains.</summary>
    public long RejectedRetrains => Interlocked.Read(ref rejectedRetrains);

    /// <summary>Live model version (0 before the first model).</summary>
    public int ModelVersion => Volatile.Read(ref modelVersion);

    /// <summary>A batch was scored.</summary>
    public void BatchScored(string topic, int size, int anomalies, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        scored.Add(size, tag);
        flagged.Add(anomalies, tag);
        Interlocked.Add(ref scoredTotal, size);
        Interlocked.Add(ref flaggedTotal, anomalies);
        Interlocked.Increment(ref batches);
        batchSize.Record(size);
        scoringSeconds.Record(duration.TotalSeconds);
    }

    /// <summary>An event went to the dead-letter topic.</summary>
    public void DeadLetter(string topic)
    {
        deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));
        Interlocked.Increment(ref deadLetteredTotal);
    }

    /// <summary>When the first model went live in this process (UTC), or null.</summary>
    public DateTime? FirstModelLiveAt { get; private set; }

    /// <summary>A model went live.</summary>
    public void ModelLoaded(int version, double liveThreshold)
    {
        FirstModelLiveAt ??= DateTime.UtcNow;
        Volatile.Write(ref modelVersion, version);
        Volatile.Write(ref threshold, liveThreshold);
    }

    /// <summary>Every finished retrain, oldest first.</summary>
    public IReadOnlyCollection<RetrainRecord> RetrainHistory => retrainHistory;

    /// <summary>A retrain finished.</summary>
    public void RetrainFinished(RetrainRecord record)
    {
        retrainHistory.Enqueue(record);
        Interlocked.Increment(ref record.Accepted ? ref retrains : ref rejectedRetrains);
    }

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
