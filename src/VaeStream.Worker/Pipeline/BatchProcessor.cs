using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
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
/// Turns one micro-batch into outputs: one feature-extraction pass, one VAE forward pass, then an anomaly message
/// for each event above the threshold and a dead letter for each event that could not be read. Normal events
/// complete at once and join the retraining window. Runs on the pipeline thread only.
/// </summary>
public sealed class BatchProcessor
{
    // Below this many events per thread, handing work to another thread costs more than it saves.
    private const int MinEventsPerThread = 128;
    private const string TombstoneKind = "Tombstone";

    private readonly FeatureSchema schema;
    private readonly PipelineOptions options;
    private readonly KafkaOptions kafka;
    private readonly IOutputPublisher publisher;
    private readonly WorkerMetrics metrics;
    private readonly ILogger logger;
    private readonly IScoreObserver? observer;
    private readonly IExpectationObserver? expectations;
    private readonly double[] valueBuffer;
    private readonly double[] expectedBuffer;
    private readonly JsonFeatureExtractor extractor;
    private readonly AnomalyMessageWriter anomalies;
    private readonly int extractionThreads;
    private readonly float[] rows;
    private readonly float[] inputs;
    private readonly string?[] entities;
    private readonly DateTimeOffset?[] eventTimes;
    private readonly InputEvent[] readable;
    private readonly ExtractionFailure?[] failures;
    private readonly IncidentPublisher? incidents;
    private ScoreBatch scores;

    /// <summary>Allocates the batch buffers once.</summary>
    public BatchProcessor(FeatureSchema schema, PipelineOptions options, KafkaOptions kafka, IOutputPublisher publisher,
        WorkerMetrics metrics, ILogger logger, IScoreObserver? observer = null, IncidentPublisher? incidents = null)
    {
        this.incidents = incidents;
        this.schema = schema;
        this.options = options;
        this.kafka = kafka;
        this.publisher = publisher;
        this.metrics = metrics;
        this.logger = logger;
        this.observer = observer;
        expectations = observer as IExpectationObserver;
        valueBuffer = new double[schema.FeatureCount];
        expectedBuffer = new double[schema.FeatureCount];
        extractor = new JsonFeatureExtractor(schema);
        anomalies = new AnomalyMessageWriter();
        int capacity = options.MaxBatchSize;
        rows = new float[capacity * schema.FeatureCount];
        inputs = new float[capacity * schema.InputWidth];
        entities = new string?[capacity];
        eventTimes = new DateTimeOffset?[capacity];
        readable = new InputEvent[capacity];
        failures = new ExtractionFailure?[capacity];
        extractionThreads = options.ExtractionThreads > 0 ? options.ExtractionThreads : Environment.ProcessorCount;
        scores = new ScoreBatch(capacity, schema.FeatureCount);
    }

    /// <summary>
    /// Extracts features for the events it can read (the rest are dead-lettered) and returns how many went into
    /// the row buffer; <see cref="Extracted"/> lists them. Large batches are read on several threads; dead letters
    /// and rows still come out in the batch's order.
    /// </summary>
    public int Extract(IReadOnlyList<InputEvent> batch)
    {
        int total = batch.Count;
        if (total > readable.Length)
        {
            throw new ArgumentException($"a batch of {total} events exceeds Pipeline:MaxBatchSize ({readable.Length})", nameof(batch));
        }

        int parts = Math.Min(extractionThreads, total / MinEventsPerThread);
        if (parts > 1)
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
                part => ExtractRange(batch, total * part / parts, total * (part + 1) / parts));
        }
        else
        {
            ExtractRange(batch, 0, total);
        }

        // Compacts the readable rows to the front, in order; a row only ever moves to a lower slot.
        int features = schema.FeatureCount;
        int count = 0;
        for (int i = 0; i < total; i++)
        {
            if (failures[i] is { } failure)
            {
                failures[i] = null;
                if (failure.Kind == TombstoneKind && options.Tombstones == TombstonePolicy.Skip)
                {
                    metrics.TombstoneSkipped();
                    batch[i].Complete();
                }
                else
                {
                    DeadLetter(batch[i], failure.Kind, failure.Reason, failure.Field);
                }

                continue;
            }

            if (count != i)
            {
                rows.AsSpan(i * features, features).CopyTo(rows.AsSpan(count * features, features));
                entities[count] = entities[i];
                eventTimes[count] = eventTimes[i];
            }

            readable[count++] = batch[i];
        }

        return count;
    }

    // Thread-safe for disjoint ranges: the extractor holds no per-event state and each event has its own slots.
    private void ExtractRange(IReadOnlyList<InputEvent> batch, int start, int end)
    {
        int features = schema.FeatureCount;
        for (int i = start; i < end; i++)
        {
            InputEvent source = batch[i];
            if (source.IsTombstone)
            {
                failures[i] = new ExtractionFailure(TombstoneKind, "the record's value is null (a tombstone); Pipeline:Tombstones = Skip passes over them", null);
                continue;
            }

            if (source.Value.Length > options.MaxEventBytes)
            {
                failures[i] = new ExtractionFailure("Oversize", $"payload of {source.Value.Length} bytes exceeds Pipeline:MaxEventBytes ({options.MaxEventBytes})", null);
                continue;
            }

            try
            {
                ExtractedFields fields = extractor.Extract(source.Value, rows.AsSpan(i * features, features));
                entities[i] = fields.EntityKey;
                eventTimes[i] = fields.Timestamp;
            }
            catch (FeatureExtractionException e)
            {
                failures[i] = new ExtractionFailure(e.Kind.ToString(), e.Message, e.Field);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An event must never stop the worker; whatever went wrong is in the dead letter's reason header.
                failures[i] = new ExtractionFailure("Unexpected", $"{e.GetType().Name}: {e.Message}", null);
            }
        }
    }

    /// <summary>The events of the last <see cref="Extract"/> call, row for row.</summary>
    public ReadOnlySpan<InputEvent> Extracted(int count) => readable.AsSpan(0, count);

    /// <summary>A row of the last <see cref="Extract"/> call (imputed in place once prepared).</summary>
    public ReadOnlySpan<float> Row(int index) => rows.AsSpan(index * schema.FeatureCount, schema.FeatureCount);

    /// <summary>The entity key of a row of the last <see cref="Extract"/> call.</summary>
    public string? Entity(int index) => entities[index];

    /// <summary>
    /// Extracts, scores and publishes one batch. <paramref name="drift"/> sees every decision: on the event at which it
    /// declares drift a drift message is published instead of an anomaly, and while it is drifting, flagged events are
    /// suppressed (completed without a message) until the retrained model swaps in.
    /// </summary>
    public void Process(IReadOnlyList<InputEvent> batch, AnomalyDetector detector, RowPreparer preparer, NormalWindow window, DriftMonitor? drift = null)
    {
        long started = Stopwatch.GetTimestamp();
        if (drift is { Drifting: false })
        {
            // The drift retrain went live (or none was declared): a drift incident, if one is open, resolves.
            incidents?.DriftEnded();
        }

        int count = Extract(batch);
        if (count == 0)
        {
            return;
        }

        int features = schema.FeatureCount;
        for (int i = 0; i < count; i++)
        {
            preparer.Prepare(entities[i], rows.AsSpan(i * features, features), inputs.AsSpan(i * schema.InputWidth, schema.InputWidth));
        }

        if (scores.Capacity < count)
        {
            scores = new ScoreBatch(count, features);
        }

        detector.Score(inputs, count, scores);
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

            float score = scores.Scores[i];
            ReadOnlySpan<float> row = rows.AsSpan(i * features, features);
            observer?.Scored(source, entities[i], score, threshold, detector.Metadata.Version);
            bool flagged = score > threshold;
            if (expectations is not null)
            {
                ReadOnlySpan<float> expected = scores.Expected.AsSpan(i * features, features);
                for (int f = 0; f < features; f++)
                {
                    valueBuffer[f] = detector.ValueInEventUnits(f, row[f]);
                    expectedBuffer[f] = detector.ExpectedInEventUnits(f, expected[f]);
                }

                expectations.Expected(source, entities[i], flagged, valueBuffer, expectedBuffer);
            }

            if (drift?.Observe(row, entities[i], flagged) == true)
            {
                metrics.DriftDeclared();
                Log.DriftDeclared(logger, detector.Metadata.Version, drift.DeclaredShare, source.Topic, source.Partition, source.Offset);
                IReadOnlyList<(string Feature, double Shift)> moved = drift.MovedFeatures(detector, options.TopContributions);
                incidents?.DriftDeclared(source, AnomalyPoints.Drift(source, AnomalyPoints.EventTime(eventTimes[i], source), detector, drift.DeclaredShare, moved));
                byte[] message = DriftMessageWriter.Write(source, detector, drift.DeclaredShare, moved);
                publisher.Publish(kafka.AnomalyTopic, new Message<byte[]?, byte[]> { Key = "drift"u8.ToArray(), Value = message }, source);
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
                    scores.Contributions.AsSpan(i * features, features), scores.Expected.AsSpan(i * features, features), options.TopContributions);
                incidents?.Observe(source, entities[i], eventTimes[i],
                    AnomalyPoints.Of(source, AnomalyPoints.EventTime(eventTimes[i], source), detector, score, leading));
                byte[] message = anomalies.Write(source, entities[i], eventTimes[i], detector, score, leading);
                publisher.Publish(kafka.AnomalyTopic, new Message<byte[]?, byte[]> { Key = source.Key, Value = message }, source);
            }
            else
            {
                incidents?.Observe(source, entities[i], eventTimes[i], null);
                window.Add(row, entities[i]);
                source.Complete();
            }
        }

        metrics.Scoring(readable[runStart].Topic, count - runStart, runFlagged);
        metrics.BatchDone(count, Stopwatch.GetElapsedTime(started));
    }

    private void DeadLetter(InputEvent source, string kind, string reason, string? field)
    {
        Log.DeadLettered(logger, source.Topic, source.Partition, source.Offset, reason);
        metrics.DeadLetter(source.Topic);
        publisher.Publish(kafka.DeadLetterTopic, DeadLetterMessages.Create(source, kind, reason, field), source);
    }

    private readonly record struct ExtractionFailure(string Kind, string Reason, string? Field);
}
