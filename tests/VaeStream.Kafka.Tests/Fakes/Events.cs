using System.Threading.Channels;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.Tests.Fakes;

internal static class Events
{
    /// <summary>A tracked record of <paramref name="progress"/>'s partition, as the consume thread makes one.</summary>
    public static InputEvent Tracked(PartitionProgress progress, long offset)
    {
        progress.Track(offset);
        return new InputEvent(progress.Partition.Topic, progress.Partition.Partition.Value, offset, null, [1], null, Timestamp.Default, progress);
    }

    /// <summary>The pipeline's channel, as the worker creates it.</summary>
    public static Channel<InputEvent> Channel(int capacity) => System.Threading.Channels.Channel.CreateBounded<InputEvent>(
        new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        });
}
