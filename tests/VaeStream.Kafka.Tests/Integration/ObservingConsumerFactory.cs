using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>A rebalance callback as the loop handled it, and how long the handling took.</summary>
internal sealed record Rebalance(string Kind, List<TopicPartition> Partitions, TimeSpan Took, long At);

/// <summary>The real consumer, with every rebalance callback timed and recorded after the loop's handler ran.</summary>
internal sealed class ObservingConsumerFactory : IKafkaConsumerFactory
{
    public ConcurrentQueue<Rebalance> Rebalances { get; } = new();

    public IEnumerable<Rebalance> Of(string kind) => Rebalances.Where(r => r.Kind == kind);

    public IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerHandlers handlers) =>
        KafkaConsumerFactory.Instance.Create(config, handlers with
        {
            Assigned = assigned => Observe("assigned", assigned, () => handlers.Assigned(assigned)),
            Revoked = revoked => Observe("revoked", revoked.Select(r => r.TopicPartition), () => handlers.Revoked(revoked)),
            Lost = lost => Observe("lost", lost.Select(r => r.TopicPartition), () => handlers.Lost(lost)),
        });

    private void Observe(string kind, IEnumerable<TopicPartition> partitions, Action handle)
    {
        long started = Stopwatch.GetTimestamp();
        handle();
        Rebalances.Enqueue(new Rebalance(kind, partitions.ToList(), Stopwatch.GetElapsedTime(started), started));
    }
}
