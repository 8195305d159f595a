using Confluent.Kafka;
using VaeStream.Kafka.Testing;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>One librdkafka mock cluster for the group tests, each with its own topic and group.</summary>
public sealed class MockClusterFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = new(brokers: 1);

    public string BootstrapServers => Cluster.BootstrapServers;

    public string CreateTopic(string test, int partitions)
    {
        string topic = $"{test}-{Guid.NewGuid():N}";
        Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>Produces <paramref name="perPartition"/> records to every partition and waits for all acknowledgements.</summary>
    public void Produce(string topic, int partitions, int perPartition)
    {
        using IProducer<byte[]?, byte[]> producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            EnableIdempotence = true,
            // Small batches, as a live stream's are: a fetch returns whole batches, so large ones would hand a
            // consumer hundreds of one partition's records before the next partition's.
            BatchNumMessages = 20,
            LingerMs = 5,
        }).Build();
        var deliveries = new Deliveries<byte[]?, byte[]>();
        for (int i = 0; i < perPartition; i++)
        {
            for (int partition = 0; partition < partitions; partition++)
            {
                producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]> { Value = BitConverter.GetBytes(i) }, deliveries.Report);
            }
        }

        deliveries.AssertAllAcknowledged(producer, TimeSpan.FromSeconds(60));
    }

    /// <summary>The group's committed offset and the high watermark of every partition.</summary>
    public List<(int Partition, long Committed, long End)> Progress(string topic, string group, int partitions)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        return consumer.Committed(tps, TimeSpan.FromSeconds(10))
            .Select(c => (c.Partition.Value, c.Offset.Value, consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value))
            .OrderBy(p => p.Item1).ToList();
    }

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MockClusterCollection : ICollectionFixture<MockClusterFixture>
{
    public const string Name = "mock cluster";
}
