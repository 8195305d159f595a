using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VaeStream.Kafka.Consuming;
using VaeStream.Simulation;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

[Collection(MockClusterCollection.Name)]
public sealed class OperationsEndpointTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-ops-");
    private readonly int port = MetricsScrape.FreePort();

    public void Dispose() => checkpoints.Dispose();

    private Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Operations:Enabled"] = "true",
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach ((string key, string? value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Metrics_count_what_was_consumed_scored_and_published_and_show_the_model_version_change()
    {
        TestTopics topics = cluster.CreateTopics("metrics");
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 41));
        using var scrape = new MetricsScrape(port);
        var versionsSeen = new SortedSet<double>();
        Dictionary<string, double> final;
        await using (var worker = new WorkerRun(cluster, topics, checkpoints.Path, Settings(new()
        {
            ["Retraining:RetrainEveryEvents"] = "8000",
            ["Retraining:WindowSize"] = "8000",
        })))
        {
            await worker.StartAsync();
            // Before any event: the per-topic series exist at 0, so rate() sees the first dead letter and anomaly.
            Dictionary<string, double> initial = [];
            Assert.True(await Wait.UntilAsync(async () =>
            {
                initial = await scrape.StatusAsync("metrics") is null ? [] : await scrape.SamplesAsync();
                return initial.ContainsKey($"vaestream_events_dead_lettered_total{{topic=\"{topics.Input}\"}}");
            }, TimeSpan.FromSeconds(30)), "no dead-letter series before the first dead letter");
            Assert.Equal(0, initial[$"vaestream_events_flagged_total{{topic=\"{topics.Input}\"}}"]);
            Assert.Equal(0, initial[$"vaestream_events_dead_lettered_total{{topic=\"{topics.Input}\"}}"]);
            // Load continues, one flushed second at a time, until a retrained model has scored (a finished retrain
            // goes live at the next batch).
            for (int second = 0; versionsSeen.Count == 0 || versionsSeen.Max < 2; second++)
            {
                Assert.True(second < 90, $"no retrained model scored within 90 s; versions seen: {string.Join(", ", versionsSeen)}");
                await feed.RunAsync(count: 4_000, rate: 4_000, malformedEvery: 0, CancellationToken.None);
                versionsSeen.Add((await scrape.SamplesAsync())["vaestream_model_version"]);
            }

            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(60)),
                $"scored {worker.Metrics.Scored} of {feed.Produced}");
            final = await scrape.SamplesAsync();
        }

        int published = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(20)).Count;
        string topic = $"{{topic=\"{topics.Input}\"}}";
        Assert.Equal(feed.Produced, final["vaestream_events_consumed_total" + topic]);
        Assert.Equal(feed.Produced, final["vaestream_events_scored_total" + topic]);
        Assert.Equal(published, final["vaestream_events_flagged_total" + topic]);
        Assert.True(published > 100, $"{published} anomalies published");
        Assert.True(final["vaestream_retrains_total"] >= 1, $"{final["vaestream_retrains_total"]} retrains");
        Assert.Contains(1, versionsSeen);
        Assert.True(versionsSeen.Max >= 2, $"model versions seen while scraping: {string.Join(", ", versionsSeen)}");
        Assert.Equal(feed.Produced, final["vaestream_batch_size_sum"]);
        Assert.True(final["vaestream_end_to_end_latency_seconds_count"] == published, "one latency sample per acknowledged anomaly");
        // Each stage of every batch is timed, and the stages after extraction make up the batch time.
        Dictionary<string, double> stages = new[] { "extract", "prepare", "score", "publish" }
            .ToDictionary(stage => stage, stage => final[$"vaestream_pipeline_stage_seconds_total{{stage=\"{stage}\"}}"]);
        Assert.All(stages, stage => Assert.True(stage.Value > 0, $"{stage.Key}: {stage.Value} s"));
        double inBatches = stages["prepare"] + stages["score"] + stages["publish"];
        Assert.InRange(inBatches / final["vaestream_batch_scoring_seconds_sum"], 0.95, 1.05);
    }

    [Fact]
    public async Task Readyz_fails_during_warm_up_and_passes_after_and_healthz_fails_while_the_pipeline_is_stalled()
    {
        TestTopics topics = cluster.CreateTopics("health");
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 42));
        using var stall = new StallSwitch();
        using var scrape = new MetricsScrape(port);
        await using var worker = new WorkerRun(cluster, topics, checkpoints.Path, Settings(new() { ["Operations:StallTimeout"] = "00:00:01" }),
            services => services.AddSingleton<IScoreObserver>(stall));
        await worker.StartAsync();

        await feed.RunAsync(count: 2_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        Assert.True(await Wait.UntilAsync(async () => await scrape.StatusAsync("readyz") is not null, TimeSpan.FromSeconds(10)));
        (HttpStatusCode status, string body) = await scrape.GetAsync("readyz");
        Assert.Equal(0, worker.Metrics.ModelVersion);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("warm-up", body, StringComparison.Ordinal);

        await feed.RunAsync(count: 4_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        Assert.True(await Wait.UntilAsync(async () => await scrape.StatusAsync("readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(60)),
            (await scrape.GetAsync("readyz")).Body);
        Assert.Equal(HttpStatusCode.OK, (await scrape.GetAsync("healthz")).Status);

        // Test hook: the next scored event blocks the pipeline while input keeps arriving.
        stall.Engage();
        await feed.RunAsync(count: 2_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        // The reason is read from the same answer as the status: a second request could see another moment.
        (HttpStatusCode Status, string Body) health = default;
        Assert.True(await Wait.UntilAsync(async () => (health = await scrape.GetAsync("healthz")).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20)),
            health.Body);
        Assert.Contains("stalled", health.Body, StringComparison.Ordinal);

        stall.Release();
        Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= 8_000, TimeSpan.FromSeconds(60)));
        Assert.Equal(HttpStatusCode.OK, (await scrape.GetAsync("healthz")).Status);
    }

    /// <summary>Blocks the pipeline thread inside the score callback while engaged.</summary>
    private sealed class StallSwitch : IScoreObserver, IDisposable
    {
        private readonly ManualResetEventSlim open = new(initialState: true);

        public void Engage() => open.Reset();

        public void Release() => open.Set();

        public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion) =>
            open.Wait(TimeSpan.FromSeconds(60));

        public void Dispose() => open.Dispose();
    }
}
