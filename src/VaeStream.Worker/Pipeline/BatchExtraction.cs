using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Features;
using VaeStream.Worker.Operations;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Reads a micro-batch's events into rows of features, in reusable buffers sized for <c>Pipeline:MaxBatchSize</c>.
/// An event that cannot be read (malformed, oversize, a tombstone) is handed to the dead-letter callback, or passed
/// over at <c>Pipeline:Tombstones = Skip</c>; the readable ones keep the batch's order.
/// </summary>
public sealed class BatchExtraction
{
    // Below this many events per thread, handing work to another thread costs more than it saves.
    private const int MinEventsPerThread = 128;
    private const string TombstoneKind = "Tombstone";

    private readonly FeatureSchema schema;
    private readonly PipelineOptions options;
    private readonly WorkerMetrics metrics;
    private readonly Action<InputEvent, DeadLetter> deadLetter;
    private readonly JsonFeatureExtractor extractor;
    private readonly int extractionThreads;
    private readonly DeadLetter?[] failures;
    private readonly float[] rows;
    private readonly string?[] entities;
    private readonly DateTimeOffset?[] eventTimes;
    private readonly InputEvent[] readable;

    /// <summary>Allocates the buffers once.</summary>
    public BatchExtraction(FeatureSchema schema, PipelineOptions options, WorkerMetrics metrics, Action<InputEvent, DeadLetter> deadLetter)
    {
        this.schema = schema;
        this.options = options;
        this.metrics = metrics;
        this.deadLetter = deadLetter;
        extractor = new JsonFeatureExtractor(schema);
        int capacity = options.MaxBatchSize;
        rows = new float[capacity * schema.FeatureCount];
        entities = new string?[capacity];
        eventTimes = new DateTimeOffset?[capacity];
        readable = new InputEvent[capacity];
        failures = new DeadLetter?[capacity];
        extractionThreads = options.ExtractionThreads > 0 ? options.ExtractionThreads : Environment.ProcessorCount;
    }

    /// <summary>The rows of the last <see cref="Extract"/> call, one per readable event, features in schema order.</summary>
    internal float[] Rows => rows;

    /// <summary>The entity key of each row.</summary>
    internal string?[] Entities => entities;

    /// <summary>The event time of each row, when the schema has a timestamp path.</summary>
    internal DateTimeOffset?[] EventTimes => eventTimes;

    /// <summary>The event of each row.</summary>
    internal InputEvent[] Readable => readable;

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
                    deadLetter(batch[i], new DeadLetter(failure.Kind, failure.Reason, failure.Field));
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
                failures[i] = new DeadLetter(TombstoneKind, "the record's value is null (a tombstone); Pipeline:Tombstones = Skip passes over them", null);
                continue;
            }

            if (source.Value.Length > options.MaxEventBytes)
            {
                failures[i] = new DeadLetter("Oversize", $"payload of {source.Value.Length} bytes exceeds Pipeline:MaxEventBytes ({options.MaxEventBytes})", null);
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
                failures[i] = new DeadLetter(e.Kind.ToString(), e.Message, e.Field);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An event must never stop the worker; whatever went wrong is in the dead letter's reason header.
                failures[i] = new DeadLetter("Unexpected", $"{e.GetType().Name}: {e.Message}", null);
            }
        }
    }

    /// <summary>The events of the last <see cref="Extract"/> call, row for row.</summary>
    public ReadOnlySpan<InputEvent> Extracted(int count) => readable.AsSpan(0, count);

    /// <summary>A row of the last <see cref="Extract"/> call (imputed in place once prepared).</summary>
    public ReadOnlySpan<float> Row(int index) => rows.AsSpan(index * schema.FeatureCount, schema.FeatureCount);

    /// <summary>The entity key of a row of the last <see cref="Extract"/> call.</summary>
    public string? Entity(int index) => entities[index];

}
