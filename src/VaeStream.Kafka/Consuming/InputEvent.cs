using Confluent.Kafka;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.Consuming;

/// <summary>One consumed record and the partition progress its completion reports to.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Source offset.</param>
/// <param name="Key">Record key bytes, or null.</param>
/// <param name="Value">Record value bytes (empty for a null value: see <see cref="IsTombstone"/>).</param>
/// <param name="Headers">Record headers, or null.</param>
/// <param name="Timestamp">Record timestamp.</param>
/// <param name="Progress">Where completion is reported.</param>
public sealed record InputEvent(string Topic, int Partition, long Offset, byte[]? Key, byte[] Value, Headers? Headers,
    Timestamp Timestamp, PartitionProgress Progress)
{
    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp of when the consume thread received the record: where the
    /// worker's own share of an event's latency starts.
    /// </summary>
    public long ReceivedAt { get; init; }

    /// <summary>The record's value was null (a tombstone), not empty: its dead letter keeps the null.</summary>
    public bool IsTombstone { get; init; }

    /// <summary>Marks the event done: every output it caused has been acknowledged (or it had none).</summary>
    public bool Complete() => Progress.Complete(Offset);
}
