using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Peers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

/// <summary>A real Prometheus scrapes a worker running on the mock cluster: what a dashboard and an alert rule see.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class PrometheusScrapeTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-prom-");
    private readonly int port = MetricsScrape.FreePort();

    public void Dispose() => checkpoints.Dispose();

    [SkippableFact]
    public async Task Prometheus_sees_the_target_up_and_counts_every_scored_event_and_promtool_accepts_the_exposition()
    {
        string? unavailable = PrometheusProcess.UnavailableReason;
        Skip.If(unavailable is not null, unavailable);
        TestTopics topics = cluster.CreateTopics("prometheus");
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 43));
        await using var worker = new WorkerRun(cluster, topics, checkpoints.Path, new Dictionary<string, string?>
        {
            ["Operations:Enabled"] = "true",
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await worker.StartAsync();
        using PrometheusProcess prometheus = await PrometheusProcess.StartAsync($"127.0.0.1:{port}");

        await feed.RunAsync(count: 8_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(90)),
            $"scored {worker.Metrics.Scored} of {feed.Produced}");

        // Prometheus scrapes every second; its view catches up within a few scrapes.
        string scoredQuery = $"sum(vaestream_events_scored_total{{job=\"{PrometheusProcess.Job}\",topic=\"{topics.Input}\"}})";
        double? seen = null;
        Assert.True(await Wait.UntilAsync(async () => (seen = await prometheus.QueryAsync(scoredQuery)) == feed.Produced, TimeSpan.FromSeconds(60)),
            $"Prometheus reports {seen?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no sample"} for {scoredQuery}; {feed.Produced} were produced");
        (string health, string lastError) = await prometheus.TargetAsync();
        Assert.True(health == "up", $"target health {health}: {lastError}");
        Assert.Equal(1, await prometheus.QueryAsync($"up{{job=\"{PrometheusProcess.Job}\"}}"));

        using var scrape = new MetricsScrape(port);
        (int exitCode, string output) = await PrometheusProcess.CheckMetricsAsync((await scrape.GetAsync("metrics")).Body);
        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}");
    }
}
