using System.Diagnostics;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Features;
using VaeStream.Worker.Aggregation;
using VaeStream.Worker.Operations;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Reads a micro-batch's events into rows of features, into an <see cref="ExtractedBatch"/>. An event that cannot be
/// read (malformed, oversize, a tombstone) is handed to the dead-letter callback, or passed over at
/// <c>Pipeline:Tombstones = Skip</c>; the readable ones keep the batch's order. It holds no per-batch state, so the
/// extraction thread and the scoring thread (replaying the warm-up) may each extract into a batch of their own.
/// </summary>
internal sealed class BatchExtraction
{
    // Below this many events per thread, handing work to another thread costs more than it saves.
    private const int MinEventsPerThread = 128;
    private const string TombstoneKind = "Tombstone";

    private readonly FeatureSchema schema;
    private readonly PipelineOptions options;
    private readonly WorkerMetrics metrics;
    private readonly Action<InputEvent, DeadLetter> deadLetter;
    private readonly JsonFeatureExtractor? extractor;
    private readonly IntervalExtraction? intervals;
    private readonly int extractionThreads;

    /// <summary>
    /// Reads events of <paramref name="schema"/>; unreadable ones go to <paramref name="deadLetter"/>. An aggregated
    /// schema's events go into intervals (<see cref="IntervalExtraction"/>), clocked by <paramref name="time"/>.
    /// </summary>
    public BatchExtraction(FeatureSchema schema, PipelineOptions options, WorkerMetrics metrics, Action<InputEvent, DeadLetter> deadLetter,
        TimeProvider? time = null)
    {
        this.schema = schema;
        this.options = options;
        this.metrics = metrics;
        this.deadLetter = deadLetter;
        if (schema.Aggregation is null)
        {
            extractor = new JsonFeatureExtractor(schema);
        }
        else
        {
            intervals = new IntervalExtraction(schema, options, metrics, deadLetter, time ?? TimeProvider.System);
        }

        extractionThreads = options.ExtractionThreads > 0 ? options.ExtractionThreads : Environment.ProcessorCount;
    }

    /// <summary>
    /// Called once input has ended and the last batch was taken: an aggregated schema's events still in open intervals
    /// are let go, their offsets unstored (<see cref="IntervalExtraction.ReleaseHeld"/>).
    /// </summary>
    public void InputEnded() => intervals?.ReleaseHeld();

    /// <summary>A batch with buffers for <c>Pipeline:MaxBatchSize</c> events of this schema.</summary>
    public ExtractedBatch NewBatch() => new(options.MaxBatchSize, schema.FeatureCount);

    /// <summary>Reads <paramref name="batch"/>'s events into its rows: <see cref="Extract(IReadOnlyList{InputEvent}, ExtractedBatch)"/> of <see cref="ExtractedBatch.Events"/>.</summary>
    public int Extract(ExtractedBatch batch) => Extract(batch.Events, batch);

    /// <summary>
    /// Extracts features for the events of <paramref name="batch"/> it can read (the rest are dead-lettered) into
    /// <paramref name="into"/>'s rows and returns how many there are (<see cref="ExtractedBatch.Count"/>). Large batches
    /// are read on several threads; dead letters and rows still come out in the batch's order.
    /// </summary>
    public int Extract(IReadOnlyList<InputEvent> batch, ExtractedBatch into)
    {
        long started = Stopwatch.GetTimestamp();
        int total = batch.Count;
        if (total > into.Readable.Length)
        {
            throw new ArgumentException($"a batch of {total} events exceeds Pipeline:MaxBatchSize ({into.Readable.Length})", nameof(batch));
        }

        if (intervals is not null)
        {
            into.Count = intervals.Extract(batch, into, Screen);
            into.ExtractionTime = Stopwatch.GetElapsedTime(started);
            return into.Count;
        }

        int parts = Math.Min(extractionThreads, total / MinEventsPerThread);
        if (parts > 1)
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
                part => ExtractRange(batch, into, total * part / parts, total * (part + 1) / parts));
        }
        else
        {
            ExtractRange(batch, into, 0, total);
        }

        (float[] rows, string?[] entities, DateTimeOffset?[] eventTimes, InputEvent[] readable, DeadLetter?[] failures) =
            (into.Rows, into.Entities, into.EventTimes, into.Readable, into.Failures);

        // Compacts the readable rows to the front, in order; a row only ever moves to a lower slot.
        int features = schema.FeatureCount;
        int count = 0;
        for (int i = 0; i < total; i++)
        {
            if (failures[i] is { } failure)
            {
                failures[i] = null;
                Reject(batch[i], failure);
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

        into.Count = count;
        into.ExtractionTime = Stopwatch.GetElapsedTime(started);
        return count;
    }

    // An aggregated schema's check before its records are read: what cannot be read at all is rejected here.
    private bool Screen(InputEvent source)
    {
        if (Unreadable(source) is not { } letter)
        {
            return true;
        }

        Reject(source, letter);
        return false;
    }

    // Why an event cannot be read at all, before its JSON is looked at: a tombstone or an oversize payload; else null.
    private DeadLetter? Unreadable(InputEvent source) => source.IsTombstone
        ? new DeadLetter(TombstoneKind, "the record's value is null (a tombstone); Pipeline:Tombstones = Skip passes over them", null)
        : source.Value.Length > options.MaxEventBytes
            ? new DeadLetter("Oversize", $"payload of {source.Value.Length} bytes exceeds Pipeline:MaxEventBytes ({options.MaxEventBytes})", null)
            : null;

    // An unreadable event is dead-lettered, or, for a tombstone at Pipeline:Tombstones = Skip, completed and counted.
    private void Reject(InputEvent source, DeadLetter letter)
    {
        if (letter.Kind == TombstoneKind && options.Tombstones == TombstonePolicy.Skip)
        {
            metrics.TombstoneSkipped();
            source.Complete();
        }
        else
        {
            deadLetter(source, letter);
        }
    }

    // Thread-safe for disjoint ranges: the extractor holds no per-event state and each event has its own slots.
    private void ExtractRange(IReadOnlyList<InputEvent> batch, ExtractedBatch into, int start, int end)
    {
        int features = schema.FeatureCount;
        (float[] rows, string?[] entities, DateTimeOffset?[] eventTimes, DeadLetter?[] failures) = (into.Rows, into.Entities, into.EventTimes, into.Failures);
        for (int i = start; i < end; i++)
        {
            InputEvent source = batch[i];
            if (Unreadable(source) is { } letter)
            {
                failures[i] = letter;
                continue;
            }

            try
            {
                ExtractedFields fields = extractor!.Extract(source.Value, rows.AsSpan(i * features, features));
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
}
