using Confluent.Kafka;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.Consuming;

/// <summary>
/// One consumed record and the partition progress its completion reports to. Not sealed: an aggregated schema's
/// row is an input of its own, whose completion completes the records it was built from.
/// </summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Source offset.</param>
/// <param name="Key">Record key bytes, or null.</param>
/// <param name="Value">Record value bytes (empty for a null value: see <see cref="IsTombstone"/>).</param>
/// <param name="Headers">Record headers, or null.</param>
/// <param name="Timestamp">Record timestamp.</param>
/// <param name="Progress">Where completion is reported.</param>
public record InputEvent(string Topic, int Partition, long Offset, byte[]? Key, byte[] Value, Headers? Headers,
    Timestamp Timestamp, PartitionProgress Progress)
{
    /// <summary>
    /// Timestamp, from the consume loop's <see cref="TimeProvider"/>, of when the consume thread received the record:
    /// where the worker's own share of an event's latency starts. With <see cref="TimeProvider.System"/> (the
    /// worker's) it is a <see cref="System.Diagnostics.Stopwatch"/> timestamp, for <c>Stopwatch.GetElapsedTime</c>.
    /// </summary>
    public long ReceivedAt { get; init; }

    /// <summary>The record's value was null (a tombstone), not empty: its dead letter keeps the null.</summary>
    public bool IsTombstone { get; init; }

    // Outputs still to be acknowledged, plus one for the pipeline's own hold: the offset completes at zero.
    private int holds = 1;

    /// <summary>
    /// Declares one more output of this event (an incident message besides its anomaly): each output's
    /// acknowledgement calls <see cref="Complete"/>, and the offset completes with the last one.
    /// </summary>
    public void Hold() => Interlocked.Increment(ref holds);

    /// <summary>Marks one hold done; the event is done, and its offset storable, when none is left.</summary>
    public bool Complete() => Interlocked.Decrement(ref holds) == 0 && Completed();

    /// <summary>
    /// The consumed records this input stands for: itself, or for an aggregated schema's interval row, every record it
    /// was built from. For journals and tests; it allocates.
    /// </summary>
    public virtual IReadOnlyList<InputEvent> Records => [this];

    /// <summary>Runs once, when the last hold is released: reports the offset done. Returns whether it advanced.</summary>
    protected virtual bool Completed() => Progress.Complete(Offset);
}
