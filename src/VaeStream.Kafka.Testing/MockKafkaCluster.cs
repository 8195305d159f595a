using System.Runtime.InteropServices;
using System.Text;

namespace VaeStream.Kafka.Testing;

/// <summary>Kafka protocol API keys used for fault injection.</summary>
internal enum KafkaApiKey : short
{
    /// <summary>Produce.</summary>
    Produce = 0,

    /// <summary>Fetch.</summary>
    Fetch = 1,

    /// <summary>OffsetCommit.</summary>
    OffsetCommit = 8,
}

/// <summary>
/// librdkafka's in-process mock Kafka cluster: a real Kafka-protocol broker on 127.0.0.1 that any client, in this
/// process or another, can reach at <see cref="BootstrapServers"/>. It backs the demo, the integration tests and the
/// benchmarks on machines without Docker. Not for production: data lives in memory.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly nint handle;
    private readonly nint cluster;
    private bool disposed;

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers; group joins complete without the usual 3 s delay.</summary>
    public MockKafkaCluster(int brokers = 1)
    {
        byte[] error = new byte[512];
        nint conf = NativeMethods.rd_kafka_conf_new();
        // The owning client handle only hosts the cluster's threads; quiet its logs.
        NativeMethods.rd_kafka_conf_set(conf, "log_level", "0", error, (nuint)error.Length);
        handle = NativeMethods.rd_kafka_new(0, conf, error, (nuint)error.Length);
        if (handle == 0)
        {
            throw new InvalidOperationException($"librdkafka could not create the mock cluster's client: {Text(error)}");
        }

        cluster = NativeMethods.rd_kafka_mock_cluster_new(handle, brokers);
        if (cluster == 0)
        {
            NativeMethods.rd_kafka_destroy(handle);
            throw new InvalidOperationException("librdkafka could not start a mock cluster.");
        }

        NativeMethods.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, 0);
        BootstrapServers = Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_mock_cluster_bootstraps(cluster))!;
        Brokers = brokers;
    }

    /// <summary>Comma-separated host:port list for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1..Brokers.</summary>
    public int Brokers { get; }

    /// <summary>Creates a topic (idempotent for an existing one of the same shape).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        int error = NativeMethods.rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor);
        if (error != 0)
        {
            throw new InvalidOperationException($"mock cluster could not create topic '{topic}': error {error}.");
        }
    }

    /// <summary>Makes the next <paramref name="errors"/>.Length requests of <paramref name="api"/> fail with those Kafka error codes.</summary>
    internal void PushRequestErrors(KafkaApiKey api, params int[] errors) =>
        NativeMethods.rd_kafka_mock_push_request_errors_array(cluster, (short)api, (nuint)errors.Length, errors);

    /// <summary>Takes a broker down: its connections close and new ones are refused.</summary>
    public void SetBrokerDown(int brokerId) => Check(NativeMethods.rd_kafka_mock_broker_set_down(cluster, brokerId), brokerId);

    /// <summary>Brings a broker back up.</summary>
    public void SetBrokerUp(int brokerId) => Check(NativeMethods.rd_kafka_mock_broker_set_up(cluster, brokerId), brokerId);

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        NativeMethods.rd_kafka_mock_cluster_destroy(cluster);
        NativeMethods.rd_kafka_destroy(handle);
    }

    private static void Check(int error, int brokerId)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"mock cluster: broker {brokerId} state change failed with error {error}.");
        }
    }

    private static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));
}
