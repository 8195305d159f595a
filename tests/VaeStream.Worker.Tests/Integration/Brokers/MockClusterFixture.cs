using VaeStream.Kafka.Testing;

namespace VaeStream.Worker.Tests.Integration.Brokers;

/// <summary>One librdkafka mock cluster, in-process: the broker every CI run has.</summary>
public sealed class MockClusterFixture : KafkaTestBroker
{
    public MockKafkaCluster Cluster { get; } = new(brokers: 1);

    public override string BootstrapServers => Cluster.BootstrapServers;

    protected override void CreateTopic(string topic, int partitions) => Cluster.CreateTopic(topic, partitions);

    protected override void Dispose(bool disposing) => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MockClusterCollection : ICollectionFixture<MockClusterFixture>
{
    public const string Name = "mock cluster";
}
