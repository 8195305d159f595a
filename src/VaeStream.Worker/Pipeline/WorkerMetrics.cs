using System.Diagnostics.Metrics;

namespace VaeStream.Worker.Pipeline;

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

    /// <summary>A model went live.</summary>
    public void ModelLoaded(int version, double liveThreshold)
    {
        Volatile.Write(ref modelVersion, version);
        Volatile.Write(ref threshold, liveThreshold);
    }

    /// <summary>A retrain finished.</summary>
    public void RetrainFinished(bool accepted) => Interlocked.Increment(ref accepted ? ref retrains : ref rejectedRetrains);

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
