using System.Collections.Concurrent;
using System.Threading.Channels;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Tests.Fakes;
using Xunit.Abstractions;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>One worker of the group, in-process: a real <see cref="ConsumeLoop"/> feeding a <see cref="FakePipeline"/>.</summary>
internal sealed class GroupMember : IDisposable
{
    private readonly Channel<InputEvent> channel;
    private readonly ConsumeLoop loop;

    public GroupMember(string name, KafkaOptions options, int channelCapacity, TimeSpan perEvent, ConcurrentQueue<Processed> log,
        ITestOutputHelper output, long started)
    {
        Name = name;
        channel = Events.Channel(channelCapacity);
        loop = new ConsumeLoop(options, channel.Writer, new TestOutputLogger<ConsumeLoop>(name, output, started), Status, timeProvider: null, Observed);
        Pipeline = new FakePipeline(name, channel.Reader, log, perEvent);
        loop.Start(Pipeline.Drained);
    }

    public string Name { get; }

    public ConsumerStatus Status { get; } = new();

    public ObservingConsumerFactory Observed { get; } = new();

    public FakePipeline Pipeline { get; }

    /// <summary>Records handed to the pipeline and not yet read by it.</summary>
    public int Queued => channel.Reader.Count;

    /// <summary>Stops polling and waits for the loop's drain, final store, commit and Close.</summary>
    public Task StopAsync()
    {
        loop.StopPolling();
        return loop.Completion.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        Pipeline.Resume();
        loop.Dispose();
    }
}
