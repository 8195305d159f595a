using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Windowing;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Turns one extracted micro-batch (<see cref="BatchExtraction"/>, whose callback publishes a dead letter for each
/// event that could not be read) into outputs: one VAE forward pass, then an anomaly message for each event above the
/// threshold. Normal events complete at once. Every event within the window's bound joins the retraining window,
/// flagged ones just above the threshold included (<see cref="NormalWindow.Offer"/>). Runs on the scoring thread only.
/// </summary>
internal sealed class BatchProcessor
{
    private readonly FeatureSchema schema;
    private readonly PipelineOptions options;
    private readonly IOutputPublisher publisher;
    private readonly WorkerMetrics metrics;
    private readonly ILogger logger;
    private readonly IScoreObserver? observer;
    private readonly IExpectationObserver? expectations;
    private readonly double[] valueBuffer;
    private readonly double[] expectedBuffer;
    private readonly float[] entityExpected;
    private readonly AnomalyMessageWriter anomalies;
    private readonly float[] inputs;
    private readonly IncidentPublisher? incidents;
    private readonly ExtractedBatch replay;
    private ScoreBatch scores;

    /// <summary>Allocates the batch buffers once.</summary>
    public BatchProcessor(FeatureSchema schema, PipelineOptions options, IOutputPublisher publisher,
        WorkerMetrics metrics, ILogger logger, IScoreObserver? observer = null, IncidentPublisher? incidents = null, TimeProvider? time = null)
    {
        this.incidents = incidents;
        this.schema = schema;
        this.options = options;
        this.publisher = publisher;
        this.metrics = metrics;
        this.logger = logger;
        this.observer = observer;
        expectations = observer as IExpectationObserver;
        valueBuffer = new double[schema.FeatureCount];
        expectedBuffer = new double[schema.FeatureCount];
        entityExpected = new float[schema.FeatureCount];
        anomalies = new AnomalyMessageWriter();
        Extraction = new BatchExtraction(schema, options, metrics, DeadLetter, time);
        replay = Extraction.NewBatch();
        inputs = new float[options.MaxBatchSize * schema.InputWidth];
        scores = new ScoreBatch(options.MaxBatchSize, schema.FeatureCount);
    }

    /// <summary>The feature extraction whose batches <see cref="Process(ExtractedBatch, AnomalyDetector, RowPreparer, NormalWindow, DriftMonitor?)"/> scores.</summary>
    public BatchExtraction Extraction { get; }

    /// <summary>
    /// Scores and publishes rows extracted before (the warm-up's, once its first model is trained): the same as
    /// <see cref="Process(ExtractedBatch, AnomalyDetector, RowPreparer, NormalWindow, DriftMonitor?)"/> without reading
    /// the events again, which an aggregated schema's interval rows could not be.
    /// </summary>
    public void Replay(ReadOnlySpan<InputEvent> events, ReadOnlySpan<float> rows, ReadOnlySpan<string?> entities,
        ReadOnlySpan<DateTimeOffset?> eventTimes, AnomalyDetector detector, RowPreparer preparer, NormalWindow window)
    {
        replay.Events.Clear();
        events.CopyTo(replay.Readable);
        rows.CopyTo(replay.Rows);
        entities.CopyTo(replay.Entities);
        eventTimes.CopyTo(replay.EventTimes);
        replay.Count = events.Length;
        replay.ExtractionTime = TimeSpan.Zero;
        Process(replay, detector, preparer, window);
    }

    /// <summary>
    /// Scores and publishes one extracted batch. <paramref name="drift"/> sees every decision: on the event at which it
    /// declares drift a drift message is published instead of an anomaly, and while it is drifting, flagged events are
    /// suppressed (completed without a message) until the retrained model swaps in.
    /// </summary>
    public void Process(ExtractedBatch batch, AnomalyDetector detector, RowPreparer preparer, NormalWindow window, DriftMonitor? drift = null)
    {
        long started = Stopwatch.GetTimestamp();
        if (drift is { Drifting: false })
        {
            // The drift retrain went live (or none was declared): a drift incident, if one is open, resolves.
            incidents?.DriftEnded();
        }

        int count = batch.Count;
        if (count == 0)
        {
            return;
        }

        float[] rows = batch.Rows;
        string?[] entities = batch.Entities;
        DateTimeOffset?[] eventTimes = batch.EventTimes;
        InputEvent[] readable = batch.Readable;
        int features = schema.FeatureCount;
        for (int i = 0; i < count; i++)
        {
            preparer.Prepare(entities[i], rows.AsSpan(i * features, features), inputs.AsSpan(i * schema.InputWidth, schema.InputWidth));
        }

        if (scores.Capacity < count)
        {
            scores = new ScoreBatch(count, features);
        }

        long prepared = Stopwatch.GetTimestamp();
        detector.Score(inputs, count, scores);
        long scored = Stopwatch.GetTimestamp();
        double threshold = detector.Threshold.Value;
        int runStart = 0, runFlagged = 0;
        for (int i = 0; i < count; i++)
        {
            InputEvent source = readable[i];
            // Counted per topic in runs: a batch usually holds one topic, so this is one metrics call per batch.
            if (source.Topic != readable[runStart].Topic)
            {
                metrics.Scoring(readable[runStart].Topic, i - runStart, runFlagged);
                (runStart, runFlagged) = (i, 0);
            }

            // The decision is on the entity's smoothed score, as the threshold was calibrated; this loop takes the
            // events in stream order, which is the order the smoothing must see them in.
            preparer.Smooth(entities[i], ref scores.Scores[i], scores.Contributions.AsSpan(i * features, features));
            float score = scores.Scores[i];
            ReadOnlySpan<float> row = rows.AsSpan(i * features, features);
            observer?.Scored(source, entities[i], score, threshold, detector.Metadata.Version);
            bool flagged = score > threshold;
            // Moved to the entity's own normal only for what shows it: the observer, and a flagged event's message.
            ReadOnlySpan<float> expected = flagged || expectations is not null ? ExpectedOf(i, entities[i], detector, drift) : default;
            if (expectations is not null)
            {
                for (int f = 0; f < features; f++)
                {
                    valueBuffer[f] = detector.ValueInEventUnits(f, row[f]);
                    expectedBuffer[f] = detector.ExpectedInEventUnits(f, expected[f]);
                }

                expectations.Expected(source, entities[i], flagged, valueBuffer, expectedBuffer);
            }

            bool admitted = window.Offer(row, entities[i], score, threshold);
            if (drift?.Observe(row, entities[i], flagged, admitted) == true)
            {
                metrics.DriftDeclared();
                Log.DriftDeclared(logger, detector.Metadata.Version, drift.DeclaredShare, source.Topic, source.Partition, source.Offset);
                IReadOnlyList<(string Feature, double Shift)> moved = drift.MovedFeatures(detector, options.TopContributions);
                incidents?.DriftDeclared(source, AnomalyPoints.Drift(source, AnomalyPoints.EventTime(eventTimes[i], source), detector, drift.DeclaredShare, moved));
                byte[] message = DriftMessageWriter.Write(source, detector, drift.DeclaredShare, moved);
                publisher.PublishAnomaly(source, "drift"u8.ToArray(), message);
            }
            else if (flagged && drift?.Drifting == true)
            {
                // The storm a drift retrain is about to end: counted, not paged on.
                metrics.Suppressed();
                source.Complete();
            }
            else if (flagged)
            {
                runFlagged++;
                FeatureContribution[] leading = FeatureContributions.Leading(detector, score, row,
                    scores.Contributions.AsSpan(i * features, features), expected, options.TopContributions);
                incidents?.Observe(source, entities[i], eventTimes[i],
                    AnomalyPoints.Of(source, AnomalyPoints.EventTime(eventTimes[i], source), detector, score, leading));
                byte[] message = anomalies.Write(source, entities[i], eventTimes[i], detector, score, leading);
                publisher.PublishAnomaly(source, source.Key, message);
            }
            else
            {
                incidents?.Observe(source, entities[i], eventTimes[i], null);
                if (drift is { Drifting: false, Entities: { } entityDrift }
                    && entityDrift.Observe(entities[i], row, scores.Expected.AsSpan(i * features, features), detector) is { } moved)
                {
                    // The event completes when the drift message is acknowledged, as a flagged one does with its anomaly.
                    metrics.EntityDriftDeclared();
                    Log.EntityDriftDeclared(logger, entities[i]!, detector.Schema.Features[moved[0].Feature].Name, moved[0].Shift, source.Topic, source.Partition, source.Offset);
                    publisher.PublishAnomaly(source, "drift"u8.ToArray(), DriftMessageWriter.WriteEntity(source, entities[i]!, detector, moved));
                }
                else
                {
                    source.Complete();
                }
            }
        }

        metrics.Scoring(readable[runStart].Topic, count - runStart, runFlagged);
        long finished = Stopwatch.GetTimestamp();
        metrics.BatchDone(count, Stopwatch.GetElapsedTime(started, finished));
        metrics.Stages.Add(PipelineStage.Extract, batch.ExtractionTime);
        metrics.Stages.Add(PipelineStage.Prepare, Stopwatch.GetElapsedTime(started, prepared));
        metrics.Stages.Add(PipelineStage.Score, Stopwatch.GetElapsedTime(prepared, scored));
        metrics.Stages.Add(PipelineStage.Publish, Stopwatch.GetElapsedTime(scored, finished));
    }

    // The model's expected values for event i, moved to its entity's own normal when entities are watched
    // (EntityDriftMonitor.ToEntityNormal); the entity drift itself compares the model's own.
    private ReadOnlySpan<float> ExpectedOf(int i, string? entity, AnomalyDetector detector, DriftMonitor? drift)
    {
        ReadOnlySpan<float> expected = scores.Expected.AsSpan(i * schema.FeatureCount, schema.FeatureCount);
        if (drift?.Entities is not { } entityDrift)
        {
            return expected;
        }

        expected.CopyTo(entityExpected);
        entityDrift.ToEntityNormal(entity, entityExpected, detector);
        return entityExpected;
    }

    private void DeadLetter(InputEvent source, DeadLetter letter)
    {
        Log.DeadLettered(logger, source.Topic, source.Partition, source.Offset, letter.Reason);
        metrics.DeadLetter(source.Topic);
        publisher.PublishDeadLetter(source, letter);
    }
}
