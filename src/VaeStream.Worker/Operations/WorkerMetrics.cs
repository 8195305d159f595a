using Prometheus;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Operations;

/// <summary>
/// The worker's metrics: Prometheus instruments in a registry of this instance's own (served on <c>/metrics</c>), and
/// plain totals for the demo report, the health checks and tests. Thread-safe.
/// </summary>
public sealed class WorkerMetrics
{
    private readonly Counter scored;
    private readonly Counter flagged;
    private readonly Counter deadLettered;
    private readonly Histogram batchSize;
    private readonly Histogram scoringSeconds;
    private readonly Histogram latencySeconds;
    private readonly Gauge channelDepth;
    private readonly Gauge modelVersionGauge;
    private readonly Gauge thresholdGauge;
    private readonly Counter retrainsCounter;
    private readonly Counter rejectedCounter;
    private readonly Counter driftsCounter;
    private readonly Counter entityDriftsCounter;
    private readonly Counter suppressedCounter;
    private readonly Histogram retrainSeconds;
    private readonly Gauge entitiesTracked;
    private readonly Counter entityEvictions;
    private readonly Counter tombstonesSkipped;
    private readonly Counter lateEvents;
    private readonly Gauge openIntervals;
    private readonly Counter intervalEvictions;
    private long lateTotal, intervalEvictionsSeen;
    private readonly TopicTotals scoredByTopic = new();
    private readonly TopicTotals flaggedByTopic = new();
    private readonly TopicTotals deadLetteredByTopic = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<RetrainRecord> retrainHistory = new();
    private ConsumerStatus? consumerStatus;
    private Func<int>? depth;
    private long scoredTotal, flaggedTotal, deadLetteredTotal;
    private long batches;
    private long batchTicks;
    private long retrains, rejectedRetrains, drifts, entityDrifts;
    private readonly TimeProvider time;
    private readonly ConsumerMetrics consumer;
    private long lastProgress;
    private bool trainingInline;
    private int modelVersion;

    /// <summary>Creates the instruments in a new registry; <paramref name="time"/> clocks the liveness heartbeat.</summary>
    public WorkerMetrics(TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        lastProgress = this.time.GetTimestamp();
        IMetricFactory factory = Metrics.WithCustomRegistry(Registry);
        consumer = new ConsumerMetrics(factory);
        Stages = new StageMetrics(factory);
        string[] topic = ["topic"];
        scored = factory.CreateCounter("vaestream_events_scored_total", "Events scored by the model", topic);
        flagged = factory.CreateCounter("vaestream_events_flagged_total", "Events published as anomalies", topic);
        deadLettered = factory.CreateCounter("vaestream_events_dead_lettered_total", "Events sent to the dead-letter topic", topic);
        batchSize = factory.CreateHistogram("vaestream_batch_size", "Events per micro-batch",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        scoringSeconds = factory.CreateHistogram("vaestream_batch_scoring_seconds", "Feature extraction, scoring and publishing time per batch",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        latencySeconds = factory.CreateHistogram("vaestream_end_to_end_latency_seconds", "Input record timestamp to the anomaly's broker acknowledgement",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        channelDepth = factory.CreateGauge("vaestream_channel_depth", "Events waiting between the consumer and the scorer: in the channel, or read ahead by the extraction thread");
        modelVersionGauge = factory.CreateGauge("vaestream_model_version", "Live model version (0 before the first model)");
        thresholdGauge = factory.CreateGauge("vaestream_model_threshold", "Live model's anomaly threshold");
        retrainsCounter = factory.CreateCounter("vaestream_retrains_total", "Retrains that went live");
        rejectedCounter = factory.CreateCounter("vaestream_retrains_rejected_total", "Retrains rejected by validation or failed");
        driftsCounter = factory.CreateCounter("vaestream_drifts_total", "Drifts declared by the alarm-rate guard, each followed by a retrain on recent events");
        entityDriftsCounter = factory.CreateCounter("vaestream_entity_drifts_total", "Lasting shifts of one entity's own level, told by its residuals (no retrain)");
        suppressedCounter = factory.CreateCounter("vaestream_anomalies_suppressed_total", "Flagged events not published because drift had been declared and its retrain had not yet gone live");
        retrainSeconds = factory.CreateHistogram("vaestream_retrain_duration_seconds", "Training plus validation time of a retrain",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.5, 2, 10) });
        entitiesTracked = factory.CreateGauge("vaestream_entities_tracked", "Entities with a window history (schemas with window > 1)");
        entityEvictions = factory.CreateCounter("vaestream_entity_evictions_total", "Least recently seen entities dropped at Pipeline:MaxEntities");
        tombstonesSkipped = factory.CreateCounter("vaestream_tombstones_skipped_total", "Null-value records passed over at Pipeline:Tombstones = Skip");
        lateEvents = factory.CreateCounter("vaestream_late_events_total", "Events of an aggregated schema with a record whose interval had closed (dead-lettered or dropped by aggregation.lateEvents)");
        openIntervals = factory.CreateGauge("vaestream_intervals_open", "Entity intervals of an aggregated schema still taking events");
        intervalEvictions = factory.CreateCounter("vaestream_interval_evictions_total", "Entities whose open intervals closed early at Pipeline:MaxEntities");
        thresholdGauge.Set(double.NaN);
        Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>The Prometheus registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Time spent in each stage of the pipeline.</summary>
    internal StageMetrics Stages { get; }

    /// <summary>Events scored.</summary>
    public long Scored => Interlocked.Read(ref scoredTotal);

    /// <summary>Events flagged as anomalies.</summary>
    public long Flagged => Interlocked.Read(ref flaggedTotal);

    /// <summary>Events dead-lettered.</summary>
    public long DeadLettered => Interlocked.Read(ref deadLetteredTotal);

    /// <summary>Batches processed.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Time the pipeline thread spent processing batches (extraction, scoring, publishing).</summary>
    public TimeSpan BatchTime => TimeSpan.FromTicks(Interlocked.Read(ref batchTicks));

    /// <summary>Accepted retrains.</summary>
    public long Retrains => Interlocked.Read(ref retrains);

    /// <summary>Rejected retrains.</summary>
    public long RejectedRetrains => Interlocked.Read(ref rejectedRetrains);

    /// <summary>Live model version (0 before the first model).</summary>
    public int ModelVersion => Volatile.Read(ref modelVersion);

    /// <summary>The live model's threshold (NaN before the first model).</summary>
    public double LiveThreshold => thresholdGauge.Value;

    /// <summary>When the first model went live in this process (UTC), or null.</summary>
    public DateTime? FirstModelLiveAt { get; private set; }

    /// <summary>Every finished retrain, oldest first.</summary>
    public IReadOnlyCollection<RetrainRecord> RetrainHistory => retrainHistory;

    /// <summary>The consumer's status, the channel depth and the producer's error count, read at each scrape.</summary>
    public void Watch(ConsumerStatus status, Func<int> channelDepthNow, Func<long>? producerErrorsNow = null)
    {
        consumerStatus = status;
        depth = channelDepthNow;
        consumer.Watch(status, producerErrorsNow);
    }

    /// <summary>
    /// Creates the per-topic series of the named input topics at zero, so that <c>rate()</c> and <c>increase()</c>
    /// see the first dead letter or anomaly instead of a series that appears with it.
    /// </summary>
    public void KnownTopics(IEnumerable<string> topics)
    {
        foreach (string topic in topics)
        {
            scored.WithLabels(topic);
            flagged.WithLabels(topic);
            deadLettered.WithLabels(topic);
        }

        consumer.KnownTopics(topics);
    }

    /// <summary>Since when no broker has been reachable, with librdkafka's last error; null while connected.</summary>
    public (DateTimeOffset Since, string LastError)? BrokerOutage =>
        consumerStatus?.Brokers.DownSince is { } since ? (since, consumerStatus.Brokers.LastError) : null;

    /// <summary>Events waiting for the pipeline: between the consumer and the scorer, or behind the high watermark.</summary>
    public long InputWaiting => (depth?.Invoke() ?? 0) + (consumerStatus?.TotalLag ?? 0);

    /// <summary>Partitions assigned to this worker's consumer.</summary>
    public int AssignedPartitions => consumerStatus?.AssignedPartitions ?? 0;

    /// <summary>Time since the pipeline last took events from the channel or finished a batch.</summary>
    public TimeSpan SinceProgress => Volatile.Read(ref trainingInline) ? TimeSpan.Zero : time.GetElapsedTime(Interlocked.Read(ref lastProgress));

    /// <summary>
    /// The pipeline thread trains the first model itself, reading no input meanwhile; that is progress, not a stall,
    /// however long it takes.
    /// </summary>
    public void TrainingInline(bool running)
    {
        Volatile.Write(ref trainingInline, running);
        Progressed();
    }

    /// <summary>Drifts declared by the alarm-rate guard.</summary>
    public long Drifts => Interlocked.Read(ref drifts);

    /// <summary>The alarm-rate guard declared drift.</summary>
    public void DriftDeclared()
    {
        driftsCounter.Inc();
        Interlocked.Increment(ref drifts);
    }

    /// <summary>Shifts of one entity's own level declared (<see cref="Pipeline.EntityDriftMonitor"/>).</summary>
    public long EntityDrifts => Interlocked.Read(ref entityDrifts);

    /// <summary>One entity's level shifted for good.</summary>
    public void EntityDriftDeclared()
    {
        entityDriftsCounter.Inc();
        Interlocked.Increment(ref entityDrifts);
    }

    /// <summary>A flagged event was not published because drift had been declared.</summary>
    public void Suppressed() => suppressedCounter.Inc();

    /// <summary>The pipeline took or finished work: the liveness heartbeat.</summary>
    public void Progressed() => Interlocked.Exchange(ref lastProgress, time.GetTimestamp());

    /// <summary>Events of one topic in a scored batch.</summary>
    public void Scoring(string topic, int events, int anomalies)
    {
        scoredByTopic.Add(topic, events);
        flaggedByTopic.Add(topic, anomalies);
        Interlocked.Add(ref scoredTotal, events);
        Interlocked.Add(ref flaggedTotal, anomalies);
    }

    /// <summary>Events with a record later than its interval allowed.</summary>
    public long LateEvents => Interlocked.Read(ref lateTotal);

    /// <summary>Records an event with a late record.</summary>
    public void LateEvent()
    {
        Interlocked.Increment(ref lateTotal);
        lateEvents.Inc();
    }

    /// <summary>Records the aggregation's open intervals and its evictions so far.</summary>
    public void Intervals(int open, long evictions)
    {
        openIntervals.Set(open);
        long added = evictions - Interlocked.Exchange(ref intervalEvictionsSeen, evictions);
        if (added > 0)
        {
            intervalEvictions.Inc(added);
        }
    }

    /// <summary>A batch was processed.</summary>
    public void BatchDone(int size, TimeSpan duration)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batchTicks, duration.Ticks);
        batchSize.Observe(size);
        scoringSeconds.Observe(duration.TotalSeconds);
        Progressed();
    }

    /// <summary>A tombstone was passed over.</summary>
    public void TombstoneSkipped() => tombstonesSkipped.Inc();

    /// <summary>An event went to the dead-letter topic.</summary>
    public void DeadLetter(string topic)
    {
        deadLetteredByTopic.Add(topic, 1);
        Interlocked.Increment(ref deadLetteredTotal);
    }

    /// <summary>The broker acknowledged an anomaly whose input record carried <paramref name="inputTimestamp"/>.</summary>
    public void AnomalyAcknowledged(DateTime inputTimestamp) =>
        latencySeconds.Observe(Math.Max(0, (time.GetUtcNow().UtcDateTime - inputTimestamp).TotalSeconds));

    /// <summary>The entity tracker's size and evictions so far.</summary>
    public void Entities(int tracked, long evictions)
    {
        entitiesTracked.Set(tracked);
        entityEvictions.IncTo(evictions);
    }

    /// <summary>A model went live.</summary>
    public void ModelLoaded(int version, double liveThreshold)
    {
        FirstModelLiveAt ??= time.GetUtcNow().UtcDateTime;
        Volatile.Write(ref modelVersion, version);
        modelVersionGauge.Set(version);
        thresholdGauge.Set(liveThreshold);
    }

    /// <summary>A retrain finished.</summary>
    public void RetrainFinished(RetrainRecord record)
    {
        retrainHistory.Enqueue(record);
        retrainSeconds.Observe(record.Seconds);
        Interlocked.Increment(ref record.Accepted ? ref retrains : ref rejectedRetrains);
        (record.Accepted ? retrainsCounter : rejectedCounter).Inc();
    }

    // Values owned by other threads are copied in when Prometheus scrapes.
    private void Refresh()
    {
        channelDepth.Set(depth?.Invoke() ?? 0);
        // Read in the pipeline's order, latest stage first, so no stage shows more than the one before it.
        var flaggedNow = flaggedByTopic.Snapshot();
        var deadLetteredNow = deadLetteredByTopic.Snapshot();
        var scoredNow = scoredByTopic.Snapshot();
        TopicTotals.CopyTo(flagged, flaggedNow);
        TopicTotals.CopyTo(deadLettered, deadLetteredNow);
        TopicTotals.CopyTo(scored, scoredNow);
        consumer.Refresh();
    }
}
