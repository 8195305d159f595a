using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.FlowControl;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Tests.Fakes;

namespace VaeStream.Kafka.Tests.FlowControl;

public sealed class ConsumerFlowControlTests : IDisposable
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);
    private readonly FakeConsumer consumer = new();
    private readonly FakeTimeProvider time = new();
    private readonly Channel<InputEvent> channel = Events.Channel(capacity: 2);
    private readonly PartitionProgress progress0 = new(P0);
    private readonly PartitionProgress progress1 = new(P1);

    public ConsumerFlowControlTests() => consumer.Assign([P0, P1]);

    private ConsumerFlowControl Flow(TimeSpan backpressureWait) =>
        new(consumer, channel.Writer, backpressureWait, time, NullLogger.Instance);

    public void Dispose() => consumer.Dispose();

    [Fact]
    public void A_full_channel_pauses_the_whole_assignment_once_and_room_resumes_it()
    {
        ConsumerFlowControl flow = Flow(TimeSpan.Zero);
        for (long offset = 0; offset < 3; offset++)
        {
            flow.Enqueue(Events.Tracked(progress0, offset));
        }

        flow.Flush(CancellationToken.None);
        Assert.True(flow.IsPaused);
        Assert.Equal(1, flow.Pending);
        flow.Enqueue(Events.Tracked(progress1, 0));
        flow.Flush(CancellationToken.None);
        Assert.Equal(2, flow.Pending);

        Assert.True(channel.Reader.TryRead(out _));
        flow.Flush(CancellationToken.None);
        Assert.True(flow.IsPaused);
        Assert.True(channel.Reader.TryRead(out _));
        flow.Flush(CancellationToken.None);

        Assert.False(flow.IsPaused);
        Assert.Equal(0, flow.Pending);
        Assert.Equal(["Pause t [[0]],t [[1]]", "Resume t [[0]],t [[1]]"], consumer.Calls);
        Assert.Equal([(0, 2L), (1, 0L)], ReadAll().Select(e => (e.Partition, e.Offset)));
    }

    [Fact]
    public async Task The_wait_for_room_before_pausing_is_bounded_on_the_TimeProvider()
    {
        ConsumerFlowControl flow = Flow(TimeSpan.FromMinutes(5));
        for (long offset = 0; offset < 3; offset++)
        {
            flow.Enqueue(Events.Tracked(progress0, offset));
        }

        Task flush = Task.Run(() => flow.Flush(CancellationToken.None));
        // Both writes went in, so the third is about to wait for room.
        Assert.True(Wait.Until(() => channel.Reader.Count == 2, TimeSpan.FromSeconds(10)));
        await Task.Delay(50);
        TimeSpan advanced = await AdvanceUntil(flush, TimeSpan.FromSeconds(30));

        // The timer starts when the wait does, so the clock had moved at least the full wait when it ended.
        Assert.InRange(advanced, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
        Assert.True(flow.IsPaused);
        Assert.Equal(["Pause t [[0]],t [[1]]"], consumer.Calls);
    }

    [Fact]
    public async Task Room_within_the_wait_hands_the_record_on_without_pausing()
    {
        ConsumerFlowControl flow = Flow(TimeSpan.FromMinutes(5));
        for (long offset = 0; offset < 3; offset++)
        {
            flow.Enqueue(Events.Tracked(progress0, offset));
        }

        Task flush = Task.Run(() => flow.Flush(CancellationToken.None));
        // Both writes went in, so the third is about to wait for room.
        Assert.True(Wait.Until(() => channel.Reader.Count == 2, TimeSpan.FromSeconds(10)));
        await Task.Delay(50);
        Assert.False(flush.IsCompleted);
        Assert.True(channel.Reader.TryRead(out _));
        await flush.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(flow.IsPaused);
        Assert.Equal(0, flow.Pending);
        Assert.Empty(consumer.Calls);
    }

    [Fact]
    public void Partitions_assigned_while_paused_join_paused_and_otherwise_are_resumed()
    {
        ConsumerFlowControl flow = Flow(TimeSpan.Zero);
        var p2 = new TopicPartition("t", 2);
        for (long offset = 0; offset < 3; offset++)
        {
            flow.Enqueue(Events.Tracked(progress0, offset));
        }

        flow.Flush(CancellationToken.None);
        // As in a rebalance: the handler notes the partitions, the client then assigns them, and the next flush settles them.
        flow.OnAssigned([p2]);
        Assert.Equal(["Pause t [[0]],t [[1]]"], consumer.Calls);
        consumer.Assign([P0, P1, p2]);
        flow.Flush(CancellationToken.None);
        Assert.Equal(["Pause t [[0]],t [[1]]", "Pause t [[2]]"], consumer.Calls);

        // P1 leaves while paused and keeps librdkafka's pause flag; when it comes back the flow is no longer paused.
        consumer.Assign([P0, p2]);
        ReadAll();
        flow.Flush(CancellationToken.None);
        flow.OnAssigned([P1]);
        consumer.Assign([P0, P1, p2]);
        flow.Flush(CancellationToken.None);

        Assert.Equal(["Pause t [[0]],t [[1]]", "Pause t [[2]]", "Resume t [[0]],t [[2]]", "Resume t [[1]]"], consumer.Calls);
        Assert.Empty(consumer.Paused);
    }

    [Fact]
    public void Dropping_untracks_the_pending_records_of_the_leaving_partitions_only()
    {
        ConsumerFlowControl flow = Flow(TimeSpan.Zero);
        flow.Enqueue(Events.Tracked(progress0, 3));
        flow.Enqueue(Events.Tracked(progress0, 4));
        flow.Enqueue(Events.Tracked(progress0, 5));
        flow.Enqueue(Events.Tracked(progress1, 7));
        flow.Enqueue(Events.Tracked(progress0, 6));
        flow.Flush(CancellationToken.None);

        Assert.Equal(2, flow.Drop([progress0]));

        Assert.Equal(1, flow.Pending);
        // 3 and 4 are in the channel, so still in flight; 5 and 6 were never handed on.
        Assert.Equal(2, progress0.InFlight);
        Assert.Equal(1, progress1.InFlight);
        ReadAll();
        flow.Flush(CancellationToken.None);
        Assert.Equal([(1, 7L)], ReadAll().Select(e => (e.Partition, e.Offset)));
    }

    private List<InputEvent> ReadAll()
    {
        var read = new List<InputEvent>();
        while (channel.Reader.TryRead(out InputEvent? e))
        {
            read.Add(e);
        }

        return read;
    }

    // Moves the fake clock in 30 s steps, giving the waiting thread real time between them, until the task ends.
    private async Task<TimeSpan> AdvanceUntil(Task task, TimeSpan realTimeout)
    {
        DateTimeOffset start = time.GetUtcNow();
        DateTime deadline = DateTime.UtcNow + realTimeout;
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
