using Confluent.Kafka;
using VaeStream.Kafka.Producing;
using VaeStream.Kafka.Testing;
using VaeStream.Simulation;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The mock cluster with a pre-produced backlog. librdkafka's mock keeps at most 5 MB per partition and drops the
/// oldest data beyond that (rdkafka_mock.c, max_size), so a backlog of a million events is spread over several
/// 4-partition topics of at most 80,000 events (about 3.8 MB per partition) each.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    public const int EventsPerTopic = 80_000;
    public const int PartitionsPerTopic = 4;
    public const string AnomalyTopic = "bench-anomalies";
    public const string DeadLetterTopic = "bench-dead-letters";
    public const string IncidentTopic = "bench-incidents";

    /// <summary>Starts the cluster with the output topics every bench worker writes to.</summary>
    public BenchCluster()
    {
        Cluster.CreateTopic(AnomalyTopic, 1);
        Cluster.CreateTopic(DeadLetterTopic, 1);
        Cluster.CreateTopic(IncidentTopic, 1);
    }

    public MockKafkaCluster Cluster { get; } = new(brokers: 1);

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>Creates topics <c>{prefix}-NN</c> holding <paramref name="events"/> generated events; returns their names.</summary>
    public List<string> PreProduce(string prefix, int events, OpsEventGenerator generator)
    {
        var topics = new List<string>();
        using IProducer<string, byte[]> producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 500_000,
        }).Build();
        int produced = 0;
        while (produced < events)
        {
            string topic = $"{prefix}-{topics.Count:D2}";
            Cluster.CreateTopic(topic, PartitionsPerTopic);
            topics.Add(topic);
            int count = Math.Min(EventsPerTopic, events - produced);
            foreach (GeneratedEvent e in generator.Generate(count))
            {
                Produce(producer, topic, e);
            }

            produced += count;
            producer.Flush(TimeSpan.FromMinutes(2));
        }

        return topics;
    }

    public void CreateTopic(string topic, int partitions) => Cluster.CreateTopic(topic, partitions);

    private static void Produce(IProducer<string, byte[]> producer, string topic, GeneratedEvent e)
    {
        producer.ProduceOrWait(topic, new Message<string, byte[]> { Key = e.Key, Value = e.Value, Timestamp = new Timestamp(DateTime.UtcNow) });
    }

    public void Dispose() => Cluster.Dispose();
}
