using Confluent.Kafka;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Worker.Tests.Offsets;

public sealed class PartitionProgressTests
{
    private readonly List<long?> advances = [];
    private readonly PartitionProgress progress;

    public PartitionProgressTests() =>
        progress = new PartitionProgress(new TopicPartition("t", 0), p =>
        {
            // As the consume loop does: take the notification, then read the position.
            p.AcknowledgeNotification();
            advances.Add(p.StorableOffset);
        });

    private void Track(params long[] offsets)
    {
        foreach (long offset in offsets)
        {
            progress.Track(offset);
        }
    }

    [Fact]
    public void The_storable_offset_advances_only_over_a_contiguous_completed_prefix()
    {
        Track(10, 11, 12, 13);

        Assert.False(progress.Complete(12));
        Assert.False(progress.Complete(11));
        Assert.Null(progress.StorableOffset);
        Assert.True(progress.Complete(10));
        Assert.Equal(13, progress.StorableOffset);
        Assert.True(progress.Complete(13));

        Assert.Equal([13L, 14L], advances);
        Assert.Equal(0, progress.InFlight);
    }

    [Fact]
    public void A_closed_partition_ignores_completions()
    {
        Track(1, 2);
        progress.Close();

        Assert.False(progress.Complete(1));
        Assert.Null(progress.StorableOffset);
        Assert.Empty(advances);
    }

    [Fact]
    public void Untracking_dropped_records_leaves_the_earlier_ones_in_flight()
    {
        Track(5, 6, 7, 8);
        progress.Untrack(7);

        Assert.Equal(2, progress.InFlight);
        progress.Complete(5);
        progress.Complete(6);
        Assert.Equal(7, progress.StorableOffset);
        Assert.Equal(0, progress.InFlight);
    }
}
