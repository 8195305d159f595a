using Confluent.Kafka;
using VaeStream.Kafka.MockCluster;

namespace VaeStream.Worker.Tests.Integration;

/// <summary>One librdkafka mock cluster shared by the integration tests; each test uses its own topics and group.</summary>
public sealed class MockClusterFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = new(brokers: 1);

    public string BootstrapServers => Cluster.BootstrapServers;

    public (string Input, string Anomalies, string DeadLetters, string Group) CreateTopics(string test, int partitions = 4)
    {
        string suffix = $"{test}-{Guid.NewGuid():N}"[..Math.Min(test.Length + 9, 60)];
        (string, string, string, string) names = ($"in-{suffix}", $"anomalies-{suffix}", $"dlq-{suffix}", $"group-{suffix}");
        Cluster.CreateTopic(names.Item1, partitions);
        Cluster.CreateTopic(names.Item2, 1);
        Cluster.CreateTopic(names.Item3, 1);
        return names;
    }

    /// <summary>Produces every message and waits until the broker has acknowledged all of them.</summary>
    public void ProduceAll(string topic, IEnumerable<(string Key, byte[] Value)> messages)
    {
        using IProducer<string, byte[]> producer = Producer();
        long failed = 0;
        foreach ((string key, byte[] value) in messages)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = value },
                        report => { if (report.Error.IsError) { Interlocked.Increment(ref failed); } });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        // Flush returns with messages still queued when its timeout passes; disposing would then drop them.
        DateTime deadline = DateTime.UtcNow.AddMinutes(2);
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0 && DateTime.UtcNow < deadline)
        {
        }

        Assert.Equal(0, producer.Flush(TimeSpan.Zero));
        Assert.Equal(0, Interlocked.Read(ref failed));
    }

    public IProducer<string, byte[]> Producer() => new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = BootstrapServers,
        EnableIdempotence = true,
        LingerMs = 5,
        MessageMaxBytes = 8 * 1024 * 1024,
    }).Build();

    /// <summary>Reads a topic from the beginning until <paramref name="expected"/> messages arrived or the time is up.</summary>
    public List<ConsumeResult<string?, byte[]>> ReadAll(string topic, int expected, TimeSpan timeout)
    {
        using IConsumer<string?, byte[]> consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string?, byte[]>>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            ConsumeResult<string?, byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is not null)
            {
                results.Add(result);
            }
        }

        // A short grace read catches anything beyond the expected count (duplicates).
        DateTime grace = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
        while (DateTime.UtcNow < grace)
        {
            ConsumeResult<string?, byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result?.Message is not null)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    /// <summary>Committed offset and high watermark of every partition of <paramref name="topic"/> for <paramref name="group"/>.</summary>
    public List<(int Partition, long Committed, long End)> Progress(string topic, string group, int partitions)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        List<TopicPartitionOffset> committed = consumer.Committed(tps, TimeSpan.FromSeconds(10));
        return committed.Select(c => (c.Partition.Value, c.Offset.Value,
            consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value)).ToList();
    }

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MockClusterCollection : ICollectionFixture<MockClusterFixture>
{
    public const string Name = "mock cluster";
}
