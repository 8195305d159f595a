using Confluent.Kafka;

namespace VaeStream.Kafka.Producing;

/// <summary>The one produce call of the project: every producer, the worker's and the feeds', goes through it.</summary>
public static class ProduceWaitingForRoom
{
    private static readonly TimeSpan PollWhileFull = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Queues <paramref name="message"/>. While librdkafka's local queue is full it serves delivery reports until
    /// there is room, instead of dropping the message or failing: under at-least-once an output may wait, never vanish.
    /// </summary>
    public static void ProduceOrWait<TKey, TValue>(this IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message,
        Action<DeliveryReport<TKey, TValue>>? onDelivery = null)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(PollWhileFull);
            }
        }
    }
}
