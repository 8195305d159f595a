using Confluent.Kafka;
using VaeStream.Kafka.Configuration;

namespace VaeStream.Kafka.Connectivity;

/// <summary>What the start-up check saw of the cluster.</summary>
/// <param name="Brokers">Brokers in its metadata.</param>
/// <param name="Topics">Topics that exist.</param>
public sealed record ClusterView(int Brokers, IReadOnlySet<string> Topics)
{
    /// <summary>
    /// Those of the configured topics (setting name → topic) the cluster does not have; regex input topics are not
    /// checked. Writing to one works only where the cluster creates topics on first use.
    /// </summary>
    public IEnumerable<(string Setting, string Topic)> Missing(IEnumerable<(string Setting, string Topic)> configured) =>
        configured.Where(c => !c.Topic.StartsWith('^') && !Topics.Contains(c.Topic));
}

/// <summary>
/// The start-up check: every librdkafka property is accepted, and a broker answers a metadata request in time.
/// Without it a worker pointed at a wrong address retries forever and reports itself healthy.
/// </summary>
public static class BrokerProbe
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <c>Kafka:Properties:KEY</c> for a property librdkafka refuses,
    /// or a <see cref="BrokerUnreachableException"/>; returns the cluster's brokers and topics.
    /// </summary>
    public static ClusterView Check(KafkaOptions options, TimeSpan timeout)
    {
        // Building a client is what makes librdkafka check its properties; consumer and producer accept different sets.
        Build(options, () => new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options)).SetLogHandler((_, _) => { }).Build());
        Build(options, () => new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options)).SetLogHandler((_, _) => { }).Build());

        string? lastError = null;
        var config = new AdminClientConfig(KafkaClientConfigs.Producer(options));
        using IAdminClient admin = new AdminClientBuilder(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, error) => lastError = error.Reason)
            .Build();
        try
        {
            Metadata metadata = admin.GetMetadata(timeout);
            return new ClusterView(metadata.Brokers.Count, metadata.Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal));
        }
        catch (KafkaException e)
        {
            throw new BrokerUnreachableException(options.BootstrapServers, timeout, lastError ?? e.Error.Reason);
        }
    }

    private static void Build(KafkaOptions options, Func<IDisposable> create)
    {
        try
        {
            create().Dispose();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new ArgumentException(Describe(options, e.Message), e);
        }
    }

    // librdkafka names the property in its message ("No such configuration property: \"foo.bar\""); say which
    // setting the user wrote it as.
    private static string Describe(KafkaOptions options, string reason)
    {
        string? key = options.Properties.Keys.FirstOrDefault(k => reason.Contains(k, StringComparison.Ordinal));
        return key is null
            ? $"Kafka settings refused by librdkafka: {reason}"
            : $"Kafka:Properties:{key} = '{options.Properties[key]}': {reason}";
    }
}
