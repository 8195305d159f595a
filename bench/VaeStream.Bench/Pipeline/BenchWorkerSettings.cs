namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The worker configuration every bench run starts from: the bench cluster, its topics, a checkpoint folder, and
/// retraining off (scenario 4 turns it on with <see cref="RetrainingEvery"/>).
/// </summary>
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
            ["Kafka:AnomalyTopic"] = BenchCluster.AnomalyTopic,
            ["Kafka:DeadLetterTopic"] = BenchCluster.DeadLetterTopic,
            ["Kafka:IncidentTopic"] = BenchCluster.IncidentTopic,
            ["Checkpoints:Directory"] = checkpoints,
            ["Checkpoints:Keep"] = "100",
            ["Retraining:RetrainEveryEvents"] = "0",
            ["Retraining:RetrainInterval"] = "00:00:00",
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

    /// <summary>Retraining every <paramref name="window"/> scored events, on a window of that many.</summary>
    public static Dictionary<string, string?> RetrainingEvery(int window)
    {
        string events = window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new() { ["Retraining:WindowSize"] = events, ["Retraining:RetrainEveryEvents"] = events };
    }
}
