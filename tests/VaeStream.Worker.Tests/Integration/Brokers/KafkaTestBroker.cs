using Confluent.Kafka;
using VaeStream.Kafka.Producing;

namespace VaeStream.Worker.Tests.Integration.Brokers;

/// <summary>
/// A Kafka-protocol broker the integration scenarios run against (librdkafka's mock cluster, or Apache Kafka in a
/// container), with the client-side helpers they share. Each test uses its own topics and group.
/// </summary>
public abstract class KafkaTestBroker : IDisposable
{
    public abstract string BootstrapServers { get; }

    /// <summary>Creates a topic and returns once producers can write to it.</summary>
    protected abstract void CreateTopic(string topic, int partitions);

    public TestTopics CreateTopics(string test, int partitions = 4)
    {
        string suffix = $"{test}-{Guid.NewGuid():N}"[..Math.Min(test.Length + 9, 60)];
        var topics = new TestTopics($"in-{suffix}", $"anomalies-{suffix}", $"dlq-{suffix}", $"group-{suffix}", partitions, $"incidents-{suffix}");
        CreateTopic(topics.Input, partitions);
        CreateTopic(topics.Anomalies, 1);
        CreateTopic(topics.DeadLetters, 1);
        CreateTopic(topics.Incidents, 1);
        return topics;
    }

    /// <summary>Produces every message and waits until the broker has acknowledged all of them.</summary>
    public void ProduceAll(string topic, IEnumerable<(string Key, byte[] Value)> messages)
    {
        using IProducer<string, byte[]> producer = Producer();
        var deliveries = new Deliveries<string, byte[]>();
        foreach ((string key, byte[] value) in messages)
        {
            producer.ProduceOrWait(topic, new Message<string, byte[]> { Key = key, Value = value }, deliveries.Report);
        }

        deliveries.AssertAllAcknowledged(producer, TimeSpan.FromMinutes(2));
    }

    /// <summary>A worker's settings for <paramref name="topics"/> on this broker: the Kafka section, nothing else.</summary>
    public WorkerSettingsBuilder Settings(TestTopics topics) =>
        new WorkerSettingsBuilder().Kafka(BootstrapServers, topics.Group, [topics.Input], topics.Anomalies, topics.DeadLetters, topics.Incidents);

    public IProducer<string, byte[]> Producer() => new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = BootstrapServers,
        EnableIdempotence = true,
        LingerMs = 5,
        MessageMaxBytes = 8 * 1024 * 1024,
    }).Build();

    /// <summary>Every message of <paramref name="topic"/>, up to the high watermarks at the time of the call.</summary>
    public List<ConsumeResult<string?, byte[]>> ReadToEnd(string topic, TimeSpan timeout)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        int partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        using IConsumer<string?, byte[]> consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).Build();
        var ends = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var next = ends.Keys.ToDictionary(p => p, _ => 0L);
        var results = new List<ConsumeResult<string?, byte[]>>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (next.Any(p => p.Value < ends[p.Key]))
        {
            Assert.True(DateTime.UtcNow < deadline, $"read {results.Count} messages of {topic} in {timeout}; {ends.Values.Sum()} expected");
            ConsumeResult<string?, byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is not null)
            {
                results.Add(result);
                next[result.Partition.Value] = result.Offset.Value + 1;
            }
        }

        consumer.Close();
        return results;
    }

    /// <summary>Committed offset and high watermark of every input partition, for the test's group.</summary>
    public List<(int Partition, long Committed, long End)> Progress(TestTopics topics)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = topics.Group,
            EnableAutoCommit = false,
        }).Build();
        var tps = Enumerable.Range(0, topics.Partitions).Select(p => new TopicPartition(topics.Input, p)).ToList();
        List<TopicPartitionOffset> committed = consumer.Committed(tps, TimeSpan.FromSeconds(10));
        return committed.Select(c => (c.Partition.Value, c.Offset.Value,
            consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value)).ToList();
    }

    /// <summary>The oldest offset the broker still has for one partition (older records were deleted or trimmed).</summary>
    public long LowWatermark(string topic, int partition)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"watermarks-{Guid.NewGuid():N}",
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).Low.Value;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}

/// <summary>The topics and consumer group of one test.</summary>
public sealed record TestTopics(string Input, string Anomalies, string DeadLetters, string Group, int Partitions, string Incidents);
