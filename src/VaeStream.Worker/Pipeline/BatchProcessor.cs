using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Windowing;
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
    private readonly FeatureSchema schema;
    private readonly PipelineOptions options;
    private readonly KafkaOptions kafka;
    private readonly IOutputPublisher publisher;
    private readonly WorkerMetrics metrics;
    private readonly ILogger logger;
    private readonly IScoreObserver? observer;
    private readonly JsonFeatureExtractor extractor;
    private readonly AnomalyMessageWriter anomalies;
    private readonly float[] rows;
    private readonly float[] inputs;
    private readonly string?[] entities;
    private readonly InputEvent[] readable;
    private ScoreBatch scores;

    /// <summary>Allocates the batch buffers once.</summary>
    public BatchProcessor(FeatureSchema schema, PipelineOptions options, KafkaOptions kafka, IOutputPublisher publisher,
        WorkerMetrics metrics, ILogger logger, IScoreObserver? observer = null)
    {
        this.schema = schema;
        this.options = options;
        this.kafka = kafka;
        this.publisher = publisher;
        this.metrics = metrics;
        this.logger = logger;
        this.observer = observer;
        extractor = new JsonFeatureExtractor(schema);
        anomalies = new AnomalyMessageWriter(options.TopContributions);
        int capacity = options.MaxBatchSize;
        rows = new float[capacity * schema.FeatureCount];
        inputs = new float[capacity * schema.InputWidth];
        entities = new string?[capacity];
        readable = new InputEvent[capacity];
        scores = new ScoreBatch(capacity, schema.FeatureCount);
    }

    /// <summary>
    /// Extracts features for the events it can read (the rest are dead-lettered) and returns how many went into
    /// the row buffer; <see cref="Extracted"/> lists them.
    /// </summary>
    public int Extract(IReadOnlyList<InputEvent> batch)
    {
        int count = 0;
        foreach (InputEvent source in batch)
        {
            if (source.Value.Length > options.MaxEventBytes)
            {
                DeadLetter(source, "Oversize", $"payload of {source.Value.Length} bytes exceeds Pipeline:MaxEventBytes ({options.MaxEventBytes})", null);
                continue;
            }

            try
            {
                ExtractedFields fields = extractor.Extract(source.Value, rows.AsSpan(count * schema.FeatureCount, schema.FeatureCount));
                entities[count] = fields.EntityKey;
                readable[count++] = source;
            }
            catch (FeatureExtractionException e)
            {
                DeadLetter(source, e.Kind.ToString(), e.Message, e.Field);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An event must never stop the worker; whatever went wrong is in the dead letter's reason header.
                DeadLetter(source, "Unexpected", $"{e.GetType().Name}: {e.Message}", null);
            }
        }

        return count;
    }

    /// <summary>The events of the last <see cref="Extract"/> call, row for row.</summary>
    public ReadOnlySpan<InputEvent> Extracted(int count) => readable.AsSpan(0, count);

    /// <summary>A row of the last <see cref="Extract"/> call (imputed in place once prepared).</summary>
    public ReadOnlySpan<float> Row(int index) => rows.AsSpan(index * schema.FeatureCount, schema.FeatureCount);

    /// <summary>The entity key of a row of the last <see cref="Extract"/> call.</summary>
    public string? Entity(int index) => entities[index];

    /// <summary>Extracts, scores and publishes one batch.</summary>
    public void Process(IReadOnlyList<InputEvent> batch, AnomalyDetector detector, RowPreparer preparer, NormalWindow window)
    {
        long started = Stopwatch.GetTimestamp();
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
            if (score > threshold)
            {
                runFlagged++;
                byte[] message = anomalies.Write(source, entities[i], detector, score, row,
                    scores.Contributions.AsSpan(i * features, features), scores.Expected.AsSpan(i * features, features));
                publisher.Publish(kafka.AnomalyTopic, new Message<byte[]?, byte[]> { Key = source.Key, Value = message }, source);
            }
            else
            {
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
}
