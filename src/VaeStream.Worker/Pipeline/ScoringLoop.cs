using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Windowing;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// The scoring thread: takes extracted micro-batches (<see cref="IExtractedBatches"/>), warms up when there is no checkpoint (buffering events, offsets
/// unstored, until the first model is trained on them, then scoring those same events), scores every batch with
/// the live model, swaps in retrained models between batches and starts retrains when due. It ends when the
/// channel is completed and empty. It runs on a thread of its own (<see cref="Run"/> blocks), so the thread pool stays
/// free for timers, the producer's callbacks and the HTTP endpoints.
/// </summary>
internal sealed class ScoringLoop(FeatureSchema schema, PipelineOptions options, RetrainingOptions retraining,
    BatchProcessor processor, Retrainer retrainer, CheckpointStore checkpoints, WorkerMetrics metrics, TimeProvider time,
    ILogger<ScoringLoop> logger)
{
    /// <summary>How often the loop wakes without input, to swap in a model trained meanwhile.</summary>
    public static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(1);

    private readonly NormalWindow window = new(schema, retraining.WindowSize, retraining.WindowAdmitFactor);
    private readonly List<InputEvent> warmup = [];
    private readonly List<float> warmupRows = [];
    private readonly List<string?> warmupEntities = [];
    private readonly List<DateTimeOffset?> warmupTimes = [];
    private readonly DayCoverage dayCoverage = new(schema, retraining.WarmupSpan, retraining.WindowSize);
    private AnomalyDetector? detector;
    private RowPreparer? preparer;
    private DriftMonitor? drift;
    private bool driftRetrainRunning;
    private bool warmupRedoRunning;
    private volatile IExtractedBatches? extracted;

    /// <summary>Events read from the channel and not yet taken for scoring (read ahead by the extraction thread).</summary>
    public int Waiting => extracted?.Waiting ?? 0;

    /// <summary>Runs until the channel completes and every read event has been handed on; <paramref name="stopping"/> stops training.</summary>
    public void Run(ChannelReader<InputEvent> input, CancellationToken stopping = default)
    {
        using CancellationTokenRegistration stopTraining = stopping.Register(retrainer.StopTraining);
        Go(checkpoints.LoadNewest(schema));
        if (detector is null)
        {
            Log.WarmupStarted(logger, retraining.WarmupEvents);
        }
        else if (checkpoints.WarmupRedoPending && dayCoverage.Resume())
        {
            Log.WarmupRedoResumed(logger, detector.Metadata.Version, retraining.WarmupSpan);
        }

        // An aggregated schema's intervals also close on a clock, when an entity or the whole stream goes quiet: the
        // batcher then hands on an empty batch after a quarter of the idle timeout without input. Otherwise an empty
        // batch comes every IdleTick without input, so that a model trained in the background goes live (and a drift
        // incident resolves) when the stream has gone quiet, not with its next event.
        TimeSpan emptyAfter = schema.Aggregation is { } aggregation ? aggregation.EffectiveIdleTimeout / 4 : IdleTick;
        var batcher = new MicroBatcher<InputEvent>(input, options.MaxBatchSize, options.MaxBatchDelay, time, emptyAfter);
        using IExtractedBatches batches = extracted = options.ExtractAhead
            ? new ExtractionThread(batcher, processor.Extraction)
            : new InlineExtraction(batcher, processor.Extraction);
        try
        {
            while (batches.TryTake(out ExtractedBatch? batch))
            {
                metrics.Progressed();
                SwapIfRetrained();
                if (detector is null)
                {
                    Buffer(batch);
                    batches.Return(batch);
                    continue;
                }

                processor.Process(batch, detector, preparer!, window, drift);
                metrics.Entities(preparer!.TrackedEntities, preparer.Evictions);
                retrainer.OnScored(batch.Count);
                KeepForWarmupRedo(batch);
                // Only now: once returned, the extraction thread refills it, Count included.
                batches.Return(batch);
                bool catchingUp = batches.Waiting + (input.CanCount ? input.Count : 0) >= options.MaxBatchSize;
                if (drift!.RetrainDue && !retrainer.IsRunning)
                {
                    RetrainForDrift(inline: catchingUp && dayCoverage.Active);
                }
                else if (dayCoverage.Due && !retrainer.IsRunning)
                {
                    RedoWarmup(catchingUp);
                }
                else if (retrainer.Due)
                {
                    retrainer.Start(window.SnapshotScored(), detector);
                }
            }

            // Input ended and the extraction thread with it: what is still in open intervals is read again next run.
            processor.Extraction.InputEnded();
        }
        finally
        {
            retrainer.Abandon();
            // After the last batch: the live model's libtorch memory goes now, not at some finalizer's whim.
            detector?.Dispose();
            detector = null;
            Log.Drained(logger, metrics.Scored, metrics.Flagged, metrics.DeadLettered);
        }
    }

    private void Buffer(ExtractedBatch batch)
    {
        ReadOnlySpan<InputEvent> events = batch.Extracted;
        for (int i = 0; i < events.Length; i++)
        {
            warmup.Add(events[i]);
            warmupRows.AddRange(batch.Row(i));
            warmupEntities.Add(batch.Entity(i));
            warmupTimes.Add(batch.EventTimes[i]);
        }

        if (warmup.Count < retraining.WarmupEvents)
        {
            return;
        }

        Log.WarmupTraining(logger, warmup.Count);
        // In record-time order, not arrival order: partitions interleave differently on every run, and the held-out
        // tail that stops training and calibrates the threshold should be the newest events, the same ones each time.
        int features = schema.FeatureCount;
        int[] order = [.. Enumerable.Range(0, warmup.Count)
            .OrderBy(i => warmup[i].Timestamp.UnixTimestampMs).ThenBy(i => warmup[i].Topic, StringComparer.Ordinal)
            .ThenBy(i => warmup[i].Partition).ThenBy(i => warmup[i].Offset)];
        float[] ordered = RowMajor.Gather(CollectionsMarshal.AsSpan(warmupRows), features, order);

        var table = new FeatureTable(schema, ordered, schema.EntityKeyPath is null ? null : [.. order.Select(i => warmupEntities[i])]);
        Go(TrainInline(() => retrainer.TrainInitial(table)));

        // The events the first model learned from are scored and published like any others, in the order read.
        for (int start = 0; start < warmup.Count; start += options.MaxBatchSize)
        {
            int count = Math.Min(options.MaxBatchSize, warmup.Count - start);
            processor.Replay(CollectionsMarshal.AsSpan(warmup).Slice(start, count), CollectionsMarshal.AsSpan(warmupRows).Slice(start * features, count * features),
                CollectionsMarshal.AsSpan(warmupEntities).Slice(start, count), CollectionsMarshal.AsSpan(warmupTimes).Slice(start, count),
                detector!, preparer!, window);
        }

        if (dayCoverage.Begin(CollectionsMarshal.AsSpan(warmupRows), CollectionsMarshal.AsSpan(warmupEntities), CollectionsMarshal.AsSpan(warmupTimes)))
        {
            Log.WarmupShort(logger, dayCoverage.Covered, retraining.WarmupSpan);
            checkpoints.MarkWarmupRedoPending(dayCoverage.Covered, retraining.WarmupSpan);
        }
        else
        {
            checkpoints.ClearWarmupRedoPending();
        }

        warmup.Clear();
        warmupRows.Clear();
        warmupEntities.Clear();
        warmupTimes.Clear();
    }

    // A drift retrain learns the recent rows, flagged ones included: the normal-only window holds none of the new
    // level, which would keep the storm going. It trains in the background, flagged events suppressed until it goes
    // live, except while the first model has not yet seen a whole day (dayCoverage) and the worker is catching up on a
    // backlog: the drift is then most likely the hours the first model never saw, and a backlog read at full speed was
    // scored to its end, muted, before a background retrain ended (10 hosts: recall at most 0.67 from the drift on).
    // Elsewhere a backlog's lagging partitions may not have shifted yet, and a retrain gone live at once had them
    // raise entity drifts (README "Warm-up over a day").
    private void RetrainForDrift(bool inline)
    {
        DriftRetrainWindow driftWindow = drift!.TakeRetrainWindow(window);
        Log.DriftRetrainStarted(logger, checkpoints.NextVersion(detector!.Metadata.Version), driftWindow.Rows.Rows);
        if (!inline)
        {
            retrainer.Start(driftWindow, detector);
            driftRetrainRunning = true;
            return;
        }

        if (TrainInline(() => retrainer.RetrainForDrift(driftWindow, detector)) is { } retrained)
        {
            Swap(retrained, learnedRecentRows: true);
        }
        else
        {
            drift.RetrainFailed();
        }
    }

    // A worker catching up on a backlog (a full batch already waiting) redoes the warm-up inline, as the first one:
    // read at full speed, a backlog had been scored to its end by the first model before a background retrain ended.
    // A worker keeping up with live traffic redoes it in the background, so that no event waits for it (inline, the
    // demo's p99 latency went from under 30 ms to 0.64-1.48 s).
    private void RedoWarmup(bool catchingUp)
    {
        FeatureTable rows = dayCoverage.Take();
        Log.WarmupRedoStarted(logger, checkpoints.NextVersion(detector!.Metadata.Version), rows.Rows, retraining.WarmupSpan,
            catchingUp ? "inline, catching up" : "in the background");
        if (!catchingUp)
        {
            retrainer.StartWarmupRedo(rows, detector);
            warmupRedoRunning = true;
            return;
        }

        if (TrainInline(() => retrainer.RedoWarmup(rows, detector)) is { } redone)
        {
            Swap(redone, learnedRecentRows: false);
            checkpoints.ClearWarmupRedoPending();
        }
    }

    // Training on the scoring thread: the metrics say so meanwhile, as the stall check must not read it as a stall.
    private AnomalyDetector? TrainInline(Func<AnomalyDetector?> train)
    {
        metrics.TrainingInline(true);
        try
        {
            return train();
        }
        finally
        {
            metrics.TrainingInline(false);
        }
    }

    // Every scored event joins the rows the warm-up is redone on, until they span a day of event time.
    private void KeepForWarmupRedo(ExtractedBatch batch)
    {
        if (!dayCoverage.Active)
        {
            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            dayCoverage.Add(batch.Row(i), batch.Entity(i), batch.EventTimes[i]);
        }
    }

    private void SwapIfRetrained()
    {
        bool running = retrainer.IsRunning;
        AnomalyDetector? candidate = retrainer.TakeFinished();
        if (running && !retrainer.IsRunning)
        {
            // A retrain ended, with or without a model; a drift it did not resolve stays pending.
            bool learnedRecentRows = driftRetrainRunning;
            bool redidWarmup = warmupRedoRunning;
            (driftRetrainRunning, warmupRedoRunning) = (false, false);
            if (candidate is null)
            {
                drift?.RetrainFailed();
                return;
            }

            Swap(candidate, learnedRecentRows);
            if (redidWarmup)
            {
                checkpoints.ClearWarmupRedoPending();
            }
        }
    }

    private void Swap(AnomalyDetector candidate, bool learnedRecentRows)
    {
        AnomalyDetector? old = detector;
        Go(candidate);
        drift!.ModelSwapped(learnedRecentRows);
        Log.Swapped(logger, candidate.Metadata.Version, old?.Metadata.Version ?? 0);
        old?.Dispose();
    }

    private void Go(AnomalyDetector? next)
    {
        if (next is null)
        {
            return;
        }

        if (preparer is null)
        {
            preparer = next.CreatePreparer(options.MaxEntities);
        }
        else
        {
            next.Bind(preparer);
        }

        detector = next;
        drift ??= new DriftMonitor(schema, next.Options.Threshold, options);
        metrics.ModelLoaded(next.Metadata.Version, next.Threshold.Value);
    }
}
