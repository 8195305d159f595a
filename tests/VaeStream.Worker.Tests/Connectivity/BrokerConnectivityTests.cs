using Confluent.Kafka;
using VaeStream.Kafka.Connectivity;

namespace VaeStream.Worker.Tests.Connectivity;

public sealed class BrokerConnectivityTests
{
    private const string Up = """{"brokers":{"127.0.0.1:9092/1":{"nodeid":1,"state":"UP"},"127.0.0.1:9092/bootstrap":{"nodeid":-1,"state":"INIT"}}}""";
    private const string Down = """{"brokers":{"127.0.0.1:9092/1":{"nodeid":1,"state":"TRY_CONNECT"},"127.0.0.1:9092/bootstrap":{"nodeid":-1,"state":"DOWN"}}}""";

    [Fact]
    public void All_brokers_down_starts_an_outage_and_statistics_with_a_broker_up_end_it()
    {
        var brokers = new BrokerConnectivity();

        brokers.OnError(new Error(ErrorCode.Local_Transport, "Connect to ipv4#127.0.0.1:9092 failed"));
        Assert.Null(brokers.DownSince);
        brokers.OnError(new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"));
        Assert.NotNull(brokers.DownSince);
        Assert.Equal("1/1 brokers are down", brokers.LastError);
        brokers.OnStatistics(Down);
        Assert.NotNull(brokers.DownSince);
        brokers.OnStatistics(Up);
        Assert.Null(brokers.DownSince);
        Assert.Equal(2, brokers.Errors);
    }

    [Fact]
    public void Statistics_without_any_broker_up_start_an_outage_and_unreadable_ones_change_nothing()
    {
        var brokers = new BrokerConnectivity();

        brokers.OnStatistics("not json");
        Assert.Null(brokers.DownSince);
        brokers.OnStatistics(Down);
        Assert.NotNull(brokers.DownSince);
    }
}

public sealed class ClusterViewTests
{
    [Fact]
    public void The_configured_topics_the_cluster_lacks_are_named_with_their_setting_and_regex_inputs_are_not_checked()
    {
        var cluster = new ClusterView(1, new HashSet<string>(["events", "anomalies"]));

        var missing = cluster.Missing([("Kafka:InputTopics:0", "events"), ("Kafka:InputTopics:1", "^metrics-.*"), ("Kafka:AnomalyTopic", "anomalies"), ("Kafka:IncidentTopic", "incidents")]);

        Assert.Equal([("Kafka:IncidentTopic", "incidents")], missing);
    }
}
