using Confluent.Kafka;

namespace VaeStream.Kafka.Configuration;

/// <summary>
/// Builds Confluent client configs from validated options. The defaults encode the delivery contract; the
/// pass-through <see cref="KafkaOptions.Properties"/> are applied last so operators can tune anything.
/// </summary>
internal static class KafkaClientConfigs
{
    private static readonly string[] SecretMarkers = ["password", "secret", "token", "key", "credential", "jaas"];

    /// <summary>Consumer: offsets are stored by the pipeline once outputs are acknowledged, and auto-committed.</summary>
    public static ConsumerConfig Consumer(KafkaOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            // Low-latency fetching. With a short fetch wait, an empty fetch response is normal, and librdkafka then
            // waits fetch.error.backoff.ms (500 ms by default) before fetching again: that showed up as 0.5–0.8 s
            // scoring pauses. The queue backoff (1 s by default) applies after a pause/resume for backpressure.
            FetchWaitMaxMs = 10,
            FetchErrorBackoffMs = 10,
            FetchQueueBackoffMs = 10,
            EnablePartitionEof = false,
            // Kafka's default before 3.0. Heartbeats run on librdkafka's own thread, so a long batch or retrain never
            // expires the session (max.poll.interval.ms covers a stuck pipeline); a killed worker's partitions then
            // move in 10 s rather than 45. librdkafka's mock cluster (dev-broker) also holds a rejoin after a clean
            // leave for session.timeout.ms − 1 s: measured 44 s at 45 s, 9 s at 10 s.
            SessionTimeoutMs = 10_000,
            // Broker connection states for readiness: librdkafka reports losing its last broker but not regaining one.
            StatisticsIntervalMs = 5000,
        };
        Apply(config, options.Properties);
        return config;
    }

    /// <summary>Producer: idempotent, so broker retries neither lose nor duplicate outputs.</summary>
    public static ProducerConfig Producer(KafkaOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            // Outputs are a small share of the input (anomalies, dead letters) and every millisecond here delays an
            // alert, so they are hardly held back for batching; under load librdkafka still batches what queues up
            // while earlier requests are in flight. linger.ms 5 (librdkafka's default) measured 5.6 ms to the ack.
            LingerMs = 1,
            // No delivery deadline: an unacknowledged output keeps its input offset unstored, so giving up would
            // only force a reprocess. A broker outage stalls the pipeline instead, which backpressure handles.
            MessageTimeoutMs = 0,
            MessageMaxBytes = 8 * 1024 * 1024,
        };
        Apply(config, options.Properties);
        return config;
    }

    /// <summary>The effective client properties with secret values replaced, safe to log.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Redacted(ClientConfig config) =>
        config.Select(p => new KeyValuePair<string, string>(p.Key, IsSecret(p.Key) ? "[redacted]" : p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>Whether a property name denotes a secret (passwords, keys, tokens, JAAS configs).</summary>
    public static bool IsSecret(string name) =>
        SecretMarkers.Any(marker => name.Contains(marker, StringComparison.OrdinalIgnoreCase));

    private static void Apply(ClientConfig config, Dictionary<string, string> properties)
    {
        foreach ((string key, string value) in properties)
        {
            config.Set(key, value);
        }
    }
}
