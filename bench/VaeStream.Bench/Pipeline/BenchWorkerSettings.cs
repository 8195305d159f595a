using VaeStream.Testing;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The worker configuration every bench run starts from: the bench cluster, its topics, a checkpoint folder, and
/// retraining off (scenario 4 turns it on with <see cref="RetrainingEvery"/>), and no redo of the warm-up once a day of
/// event time is covered: a one-off per deployment, inline when catching up, not the steady state measured here.
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
        return new WorkerSettingsBuilder()
            .Kafka(bootstrapServers, $"bench-{Guid.NewGuid():N}", topics, BenchCluster.AnomalyTopic, BenchCluster.DeadLetterTopic, BenchCluster.IncidentTopic)
            .Checkpoints(checkpoints)
            .Set("Checkpoints:Keep", 100)
            .RetrainingOff()
            .Set("Retraining:WarmupSpan", TimeSpan.Zero)
            .With(extra)
            .ToDictionary();
    }

    /// <summary>Retraining every <paramref name="window"/> scored events, on a window of that many.</summary>
    public static Dictionary<string, string?> RetrainingEvery(int window)
    {
        string events = window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new() { ["Retraining:WindowSize"] = events, ["Retraining:RetrainEveryEvents"] = events };
    }

    /// <summary>Extraction on the scoring thread, as before pipelining: the one-thread figure beside the default two.</summary>
    public static Dictionary<string, string?> OnePipelineThread => new() { ["Pipeline:ExtractAhead"] = "false" };
}
