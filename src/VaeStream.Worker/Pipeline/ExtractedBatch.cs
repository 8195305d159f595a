using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// One micro-batch and its features, in buffers sized for <c>Pipeline:MaxBatchSize</c> and reused batch after batch.
/// <see cref="BatchExtraction"/> fills it and <see cref="BatchProcessor"/> scores it; with extraction ahead of scoring,
/// two of them alternate between the extraction and scoring threads, so neither ever reads a buffer the other writes.
/// </summary>
internal sealed class ExtractedBatch
{
    private readonly int features;

    /// <summary>Allocates the buffers once.</summary>
    public ExtractedBatch(int capacity, int features)
    {
        this.features = features;
        Events = new List<InputEvent>(capacity);
        Rows = new float[capacity * features];
        Entities = new string?[capacity];
        EventTimes = new DateTimeOffset?[capacity];
        Readable = new InputEvent[capacity];
        Failures = new DeadLetter?[capacity];
    }

    /// <summary>How long its extraction took, for the stage metrics.</summary>
    public TimeSpan ExtractionTime { get; internal set; }

    /// <summary>The micro-batch as read from the channel, readable or not.</summary>
    public List<InputEvent> Events { get; }

    /// <summary>How many of <see cref="Events"/> could be read: the first <see cref="Count"/> rows and events below.</summary>
    public int Count { get; internal set; }

    /// <summary>The rows, one per readable event, features in schema order (imputed in place once prepared).</summary>
    internal float[] Rows { get; }

    /// <summary>The entity key of each row.</summary>
    internal string?[] Entities { get; }

    /// <summary>The event time of each row, when the schema has a timestamp path.</summary>
    internal DateTimeOffset?[] EventTimes { get; }

    /// <summary>The event of each row.</summary>
    internal InputEvent[] Readable { get; }

    /// <summary>Scratch for the extraction: why the event in the same slot of the batch could not be read.</summary>
    internal DeadLetter?[] Failures { get; }

    /// <summary>The readable events, row for row.</summary>
    public ReadOnlySpan<InputEvent> Extracted => Readable.AsSpan(0, Count);

    /// <summary>A row.</summary>
    public ReadOnlySpan<float> Row(int index) => Rows.AsSpan(index * features, features);

    /// <summary>The entity key of a row.</summary>
    public string? Entity(int index) => Entities[index];
}
