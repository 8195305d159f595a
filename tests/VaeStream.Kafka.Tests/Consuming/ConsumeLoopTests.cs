using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Tests.Fakes;

namespace VaeStream.Kafka.Tests.Consuming;

/// <summary>The loop as the worker uses it, composed of its real parts, around a fake consumer.</summary>
public sealed class ConsumeLoopTests : IDisposable
{
    private static readonly TopicPartition P0 = new("in", 0);
    private static readonly TopicPartition P1 = new("in", 1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeConsumer consumer = new();
    private readonly FakeConsumerFactory factory;
    private readonly FakeTimeProvider time = new();
    private readonly Channel<InputEvent> channel = Events.Channel(capacity: 10);
    private readonly ConsumerStatus status = new();
    private readonly KafkaOptions options = new() { BootstrapServers = "fake:9092", GroupId = "g", InputTopics = ["in", "in"], PollTimeout = TimeSpan.FromMilliseconds(5) };

    public ConsumeLoopTests() => factory = new FakeConsumerFactory(consumer);

    private ConsumeLoop Loop() => new(options, channel.Writer, NullLogger<ConsumeLoop>.Instance, status, time, factory);

    public void Dispose() => consumer.Dispose();

    [Fact]
    public async Task Shutdown_completes_the_channel_then_stores_what_the_drain_completed_before_it_commits_and_closes()
    {
        consumer.ScriptAssign(P0);
        for (long offset = 0; offset < 3; offset++)
        {
            consumer.ScriptRecord("in", 0, offset);
        }

        var drained = new TaskCompletionSource();
        using ConsumeLoop loop = Loop();
        loop.Start(drained.Task);
        List<InputEvent> read = await Read(3);
        loop.StopPolling();

        await channel.Reader.Completion.WaitAsync(Timeout);
        await Task.Delay(100);
        Assert.DoesNotContain("Commit", consumer.Calls);
        foreach (InputEvent e in read)
        {
            e.Complete();
        }

        drained.SetResult();
        await loop.Completion.WaitAsync(Timeout);

        Assert.Equal(["Subscribe in", "Resume in [[0]]", "Store in [[0]]@3", "Commit", "Close"], consumer.Calls);
        Assert.False(factory.Config!.EnableAutoOffsetStore);
        Assert.All(read, e => Assert.Equal(time.GetTimestamp(), e.ReceivedAt));
    }

    [Fact]
    public async Task The_handlers_given_to_the_factory_drive_the_rebalance_parts_on_the_consume_thread()
    {
        consumer.ScriptAssign(P0, P1);
        consumer.ScriptRecord("in", 0, 0);
        consumer.ScriptRecord("in", 1, 0);
        using ConsumeLoop loop = Loop();
        loop.Start(Task.CompletedTask);
        List<InputEvent> read = await Read(2);
        Assert.Equal(2, status.AssignedPartitions);

        read[0].Complete();
        consumer.ScriptRevoke(P0);
        Assert.True(Wait.Until(() => status.AssignedPartitions == 1, Timeout));
        consumer.ScriptLost(P1);
        Assert.True(Wait.Until(() => status.AssignedPartitions == 0, Timeout));
        read[1].Complete();
        loop.StopPolling();
        await loop.Completion.WaitAsync(Timeout);

        // P0's completed record was stored during its revoke; P1's completion came after it was lost.
        Assert.Equal([new TopicPartitionOffset(P0, 1)], consumer.StoredOffsets);
        Assert.Equal(2, status.Consumed.Single(c => c.Key == "in").Value);
    }

    [Fact]
    public async Task A_fatal_client_error_stops_the_loop_and_faults_its_completion()
    {
        consumer.ScriptAssign(P0);
        consumer.ScriptError(new Error(ErrorCode.Local_Fatal, "fenced", isFatal: true));
        using ConsumeLoop loop = Loop();
        loop.Start(Task.CompletedTask);

        KafkaException error = await Assert.ThrowsAsync<KafkaException>(() => loop.Completion.WaitAsync(Timeout));

        Assert.Equal(ErrorCode.Local_Fatal, error.Error.Code);
        await channel.Reader.Completion.WaitAsync(Timeout);
        // The completion faults at once; the thread still closes the consumer after it.
        Assert.True(Wait.Until(() => consumer.Calls.Contains("Close"), Timeout), string.Join(", ", consumer.Calls));
    }

    private async Task<List<InputEvent>> Read(int count)
    {
        var read = new List<InputEvent>();
        using var timeout = new CancellationTokenSource(Timeout);
        while (read.Count < count && await channel.Reader.WaitToReadAsync(timeout.Token))
        {
            while (read.Count < count && channel.Reader.TryRead(out InputEvent? e))
            {
                read.Add(e);
            }
        }

        return read;
    }
}
