using Confluent.Kafka;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Producing;

/// <summary>Publishes an output for a source event; the event completes when the broker acknowledges it.</summary>
public interface IOutputPublisher
{
    /// <summary>
    /// Queues the message; <paramref name="source"/> completes on acknowledgement. A null source is an output no input
    /// offset waits for (an incident resolved by a timer).
    /// </summary>
    void Publish(string topic, Message<byte[]?, byte[]> message, InputEvent? source);
}
