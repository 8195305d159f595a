using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DotNet.Testcontainers.Builders;
using Testcontainers.Kafka;

namespace VaeStream.Worker.Tests.Integration.Brokers;

/// <summary>
/// Apache Kafka (KRaft, one node) in a container through Testcontainers.Kafka. Where no Docker engine answers, the
/// fixture records why, and the tests skip with that reason.
/// </summary>
public sealed class ApacheKafkaFixture : KafkaTestBroker, IAsyncLifetime
{
    /// <summary>The official image docker-compose.yml also runs.</summary>
    public const string Image = "apache/kafka:4.1.1";

    private KafkaContainer? container;

    /// <summary>Why the broker is not available, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public override string BootstrapServers => container?.GetBootstrapAddress() ?? throw new InvalidOperationException(UnavailableReason);

    public async Task InitializeAsync()
    {
        try
        {
            container = new KafkaBuilder(Image).WithVendor(KafkaVendor.ApacheSoftwareFoundation).Build();
            await container.StartAsync();
        }
        catch (DockerUnavailableException e)
        {
            UnavailableReason = $"No Docker engine answered, so Apache Kafka ({Image}) cannot run through Testcontainers: {FirstLine(e.Message)}. " +
                "The same scenarios ran against librdkafka's mock cluster.";
            container = null;
        }
    }

    protected override void CreateTopic(string topic, int partitions)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        // The incident topic is compacted, as docker-compose.yml creates it: the latest message per incident is the state.
        Dictionary<string, string>? configs = topic.StartsWith("incidents-", StringComparison.Ordinal) ? new() { ["cleanup.policy"] = "compact" } : null;
        admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }])
            .GetAwaiter().GetResult();
    }

    public async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}

[CollectionDefinition(Name)]
public sealed class ApacheKafkaCollection : ICollectionFixture<ApacheKafkaFixture>
{
    public const string Name = "apache kafka";
}
