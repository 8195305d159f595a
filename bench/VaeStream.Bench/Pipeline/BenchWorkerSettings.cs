namespace VaeStream.Bench.Pipeline;

/// <summary>The worker configuration every bench run starts from: the bench cluster, its topics, a checkpoint folder.</summary>
internal static class BenchWorkerSettings
{
    /// <summary>
    /// Settings for a worker in a consumer group of its own (so it reads every topic from the start), then
    /// <paramref name="extra"/> over them.
    /// </summary>
    public static Dictionary<string, string?> Create(string bootstrapServers, IReadOnlyList<string> topics, string checkpoints,
        IEnumerable<KeyValuePair<string, string?>> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:GroupId"] = $"bench-{Guid.NewGuid():N}",
            ["Kafka:AnomalyTopic"] = "bench-anomalies",
            ["Kafka:DeadLetterTopic"] = "bench-dead-letters",
            ["Checkpoints:Directory"] = checkpoints,
            ["Checkpoints:Keep"] = "100",
        };
        for (int i = 0; i < topics.Count; i++)
        {
            settings[$"Kafka:InputTopics:{i}"] = topics[i];
        }

        foreach ((string key, string? value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
