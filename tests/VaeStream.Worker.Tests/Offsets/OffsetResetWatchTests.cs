using Confluent.Kafka;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Worker.Tests.Offsets;

public sealed class OffsetResetWatchTests
{
    // The line librdkafka 2.16 logs when the mock cluster had trimmed the wanted offset.
    private const string ResetLine = "[thrd:main]: in-skip [0]: offset reset (at offset 5 (leader epoch -1), broker 1) to cached BEGINNING offset offset 3101 (leader epoch -1): fetch failed due to requested offset not available on the broker: Broker: Offset out of range";

    private static readonly TopicPartition Partition = new("in-skip", 0);

    [Fact]
    public void The_first_record_after_a_reset_gives_the_skipped_range()
    {
        var watch = new OffsetResetWatch();

        Assert.True(watch.OnLog(new LogMessage("consumer", SyslogLevel.Warning, "OFFSET", ResetLine)));
        SkippedOffsets? skipped = watch.OnRecord(Partition, 3101);

        Assert.NotNull(skipped);
        Assert.Equal((5L, 3100L, 3096L), (skipped.From, skipped.To, skipped.Count));
        Assert.Contains("Offset out of range", skipped.Reason, StringComparison.Ordinal);
        Assert.Null(watch.OnRecord(Partition, 3102));
    }

    [Fact]
    public void Without_a_reset_a_gap_is_not_reported_and_other_lines_are_ignored()
    {
        var watch = new OffsetResetWatch();

        Assert.False(watch.OnLog(new LogMessage("consumer", SyslogLevel.Warning, "FAIL", ResetLine)));
        Assert.Null(watch.OnRecord(Partition, 10));
        Assert.Null(watch.OnRecord(Partition, 20));
    }

    [Fact]
    public void A_reset_that_lands_on_the_wanted_offset_skipped_nothing()
    {
        var watch = new OffsetResetWatch();

        watch.OnLog(new LogMessage("consumer", SyslogLevel.Warning, "OFFSET", ResetLine));

        Assert.Null(watch.OnRecord(Partition, 5));
    }
}
