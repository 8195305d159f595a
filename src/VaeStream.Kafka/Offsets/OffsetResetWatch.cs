using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace VaeStream.Kafka.Offsets;

/// <summary>One run of offsets the consumer never read because the broker no longer had them.</summary>
/// <param name="Partition">Where.</param>
/// <param name="From">First offset skipped.</param>
/// <param name="To">Last offset skipped.</param>
/// <param name="Reason">librdkafka's account of the reset.</param>
internal sealed record SkippedOffsets(TopicPartition Partition, long From, long To, string Reason)
{
    /// <summary>Records skipped.</summary>
    public long Count => To - From + 1;
}

/// <summary>
/// Finds records lost to retention. When the offset a consumer wants is gone (deleted by retention, or trimmed by
/// the mock cluster), librdkafka resets to <c>auto.offset.reset</c> and says so only in an OFFSET log line, with no
/// error event. This reads that line for the offset it wanted, and the next record of the partition tells how far
/// the reset jumped.
/// </summary>
internal sealed partial class OffsetResetWatch
{
    private readonly ConcurrentQueue<(TopicPartition Partition, long Wanted, string Reason)> notices = new();
    private readonly Dictionary<TopicPartition, (long Wanted, string Reason)> pending = [];

    /// <summary>Reads a librdkafka log line (any thread); returns whether it reported an offset reset.</summary>
    public bool OnLog(LogMessage message)
    {
        if (message.Facility != "OFFSET")
        {
            return false;
        }

        Match match = ResetLine().Match(message.Message);
        if (!match.Success)
        {
            return false;
        }

        var partition = new TopicPartition(match.Groups["topic"].Value, int.Parse(match.Groups["partition"].Value, CultureInfo.InvariantCulture));
        notices.Enqueue((partition, long.Parse(match.Groups["wanted"].Value, CultureInfo.InvariantCulture), match.Groups["reason"].Value.Trim()));
        return true;
    }

    /// <summary>
    /// Called on the consume thread for each record; returns the skipped run when this is the first record after a
    /// reset that jumped forward.
    /// </summary>
    public SkippedOffsets? OnRecord(TopicPartition partition, long offset)
    {
        while (notices.TryDequeue(out var notice))
        {
            pending[notice.Partition] = (notice.Wanted, notice.Reason);
        }

        if (pending.Count == 0 || !pending.Remove(partition, out var reset) || offset <= reset.Wanted)
        {
            return null;
        }

        return new SkippedOffsets(partition, reset.Wanted, offset - 1, reset.Reason);
    }

    /// <summary>Forgets a partition that left this consumer.</summary>
    public void Forget(TopicPartition partition) => pending.Remove(partition);

    // "events [0]: offset reset (at offset 5 (leader epoch -1), broker 1) to cached BEGINNING offset offset 3101
    // (leader epoch -1): fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
    [GeneratedRegex(@"(?<topic>[A-Za-z0-9._-]+) \[(?<partition>\d+)\]: offset reset \(at offset (?<wanted>\d+)[^:]*:(?<reason>.*)$")]
    private static partial Regex ResetLine();
}
