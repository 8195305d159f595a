using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.FlowControl;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Rebalancing;
using VaeStream.Kafka.Tests.Fakes;

namespace VaeStream.Kafka.Tests.Rebalancing;

public sealed class RebalanceHandlerTests : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);
    private readonly FakeConsumer consumer = new();
    private readonly FakeTimeProvider time = new();
    private readonly Channel<InputEvent> channel = Events.Channel(capacity: 1);
    private readonly ConsumerStatus status = new();
    private readonly OffsetStore offsets;
    private readonly ConsumerFlowControl flow;
    private readonly RebalanceHandler handler;

    public RebalanceHandlerTests()
    {
        offsets = new OffsetStore(consumer, NullLogger.Instance);
        flow = new ConsumerFlowControl(consumer, channel.Writer, TimeSpan.Zero, time, NullLogger.Instance);
        handler = new RebalanceHandler(offsets, flow, new OffsetResetWatch(), status, DrainTimeout, time, NullLogger.Instance);
        consumer.Assign([P0, P1]);
        handler.OnAssigned([P0, P1]);
    }

    private PartitionProgress Progress(TopicPartition partition, params long[] tracked)
    {
        PartitionProgress progress = handler.Assigned[partition];
        foreach (long offset in tracked)
        {
            progress.Track(offset);
        }

        return progress;
    }

    private static List<TopicPartitionOffset> Leaving(TopicPartition partition) => [new(partition, Offset.Unset)];

    public void Dispose() => consumer.Dispose();

    [Fact]
    public async Task A_revoke_waits_for_in_flight_events_up_to_the_drain_timeout_on_the_TimeProvider()
    {
        PartitionProgress progress = Progress(P0, 0, 1, 2, 3, 4);
        progress.Complete(0);
        progress.Complete(1);

        Task revoke = Task.Run(() => handler.OnRevoked(Leaving(P0)));
        // The drain stores what completed as it waits: from then on its deadline is set and the clock may move.
        Assert.True(Wait.Until(() => consumer.StoredOffsets.Count == 1, TimeSpan.FromSeconds(10)));
        Assert.False(revoke.IsCompleted);
        TimeSpan advanced = await AdvanceUntil(revoke);

        Assert.InRange(advanced, DrainTimeout, DrainTimeout * 2);
        Assert.Equal([new TopicPartitionOffset(P0, 2)], consumer.StoredOffsets);
        Assert.True(progress.IsClosed);
        Assert.False(handler.Assigned.ContainsKey(P0));
        Assert.Equal(1, status.AssignedPartitions);

        // The events still held finish after the revoke: nothing more is stored for a partition no longer ours.
        Assert.False(progress.Complete(2));
        offsets.StoreAdvanced();
        Assert.Single(consumer.StoredOffsets);
    }

    [Fact]
    public void A_revoke_commits_what_it_stored_before_the_partition_leaves()
    {
        PartitionProgress progress = Progress(P0, 0, 1, 2);
        progress.Complete(0);
        progress.Complete(1);
        progress.Complete(2);

        handler.OnRevoked(Leaving(P0));

        Assert.Equal([new TopicPartitionOffset(P0, 3)], consumer.StoredOffsets);
        List<string> calls = [.. consumer.Calls];
        Assert.True(calls.IndexOf("Commit") > calls.IndexOf("Store t [[0]]@3"), string.Join(", ", calls));
    }

    [Fact]
    public async Task A_revoke_returns_once_the_in_flight_events_complete_and_stores_them()
    {
        PartitionProgress progress = Progress(P0, 0, 1, 2);
        DateTimeOffset before = time.GetUtcNow();

        Task revoke = Task.Run(() => handler.OnRevoked(Leaving(P0)));
        await Task.Delay(50);
        Assert.False(revoke.IsCompleted);
        foreach (long offset in new long[] { 2, 0, 1 })
        {
            progress.Complete(offset);
        }

        await revoke.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(before, time.GetUtcNow());
        Assert.Equal(new TopicPartitionOffset(P0, 3), consumer.StoredOffsets.Last());
    }

    [Fact]
    public async Task A_revoke_drops_the_partition_s_records_not_yet_handed_on_and_does_not_wait_for_them()
    {
        PartitionProgress progress0 = handler.Assigned[P0];
        PartitionProgress progress1 = handler.Assigned[P1];
        flow.Enqueue(Events.Tracked(progress0, 0));
        flow.Enqueue(Events.Tracked(progress0, 1));
        flow.Enqueue(Events.Tracked(progress1, 0));
        flow.Enqueue(Events.Tracked(progress0, 2));
        flow.Flush(CancellationToken.None);
        Assert.True(channel.Reader.TryRead(out InputEvent? handedOn));
        handedOn.Complete();
        Assert.Equal(2, progress0.InFlight);

        // No clock moves here: the revoke may only end this way if it does not wait for the dropped records.
        await Task.Run(() => handler.OnRevoked(Leaving(P0))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, flow.Pending);
        Assert.Equal(0, progress0.InFlight);
        Assert.Equal(1, progress1.InFlight);
        Assert.Equal([new TopicPartitionOffset(P0, 1)], consumer.StoredOffsets);
    }

    [Fact]
    public void A_lost_partition_drops_its_work_and_stores_nothing()
    {
        PartitionProgress lost = Progress(P0, 0, 1, 2, 3);
        PartitionProgress kept = Progress(P1, 0);
        flow.Enqueue(Events.Tracked(lost, 4));
        lost.Complete(0);
        lost.Complete(1);

        handler.OnLost(Leaving(P0));
        offsets.StoreAdvanced();
        Assert.False(lost.Complete(2));

        Assert.Empty(consumer.StoredOffsets);
        Assert.True(lost.IsClosed);
        Assert.Equal(0, flow.Pending);
        Assert.Equal([P1], handler.Assigned.Keys);
        Assert.Equal(1, status.AssignedPartitions);
        Assert.True(kept.Complete(0));
        offsets.StoreAdvanced();
        Assert.Equal([new TopicPartitionOffset(P1, 1)], consumer.StoredOffsets);
    }

    [Fact]
    public void A_partition_that_comes_back_gets_a_fresh_progress_and_the_old_one_stores_nothing()
    {
        PartitionProgress before = Progress(P0, 7, 8);
        before.Complete(7);
        offsets.StoreAdvanced();
        handler.OnLost(Leaving(P0));

        handler.OnAssigned([P0]);
        PartitionProgress after = Progress(P0, 5);
        before.Complete(8);
        after.Complete(5);
        offsets.StoreAdvanced();

        Assert.NotSame(before, after);
        // The new assignment resumes at the committed offset, below what the old one stored, and stores from there.
        Assert.Equal([new TopicPartitionOffset(P0, 8), new TopicPartitionOffset(P0, 6)], consumer.StoredOffsets);
    }

    // Moves the fake clock half a minute at a time, giving the handler real time between steps, until it returns.
    private async Task<TimeSpan> AdvanceUntil(Task task)
    {
        DateTimeOffset start = time.GetUtcNow();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            if (!task.IsCompleted)
            {
                time.Advance(TimeSpan.FromSeconds(30));
            }
        }

        await task.WaitAsync(TimeSpan.FromSeconds(1));
        return time.GetUtcNow() - start;
    }
}
