using System.Text.Json;
using VaeStream.Simulation;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Peers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

/// <summary>Incidents on the incident topic, and in a real Alertmanager.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class IncidentTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-incidents-");

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public async Task Anomalies_of_a_host_become_one_incident_opened_updated_and_resolved_on_the_incident_topic()
    {
        // One partition: the generator keys events by host and minute, so only then does each host's stream keep its order.
        TestTopics topics = cluster.CreateTopics("incidents", partitions: 1);
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.02, seed: 43, segmentLength: (5, 20)));
        await feed.RunAsync(count: 30_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        long anomalies;
        await using (var worker = new WorkerRun(cluster, topics, checkpoints.Path))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(120)), $"scored {worker.Metrics.Scored} of {feed.Produced}");
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(30)), "input not committed");
            anomalies = worker.Metrics.Flagged;
        }

        List<IncidentSnapshot> messages = ReadIncidents(topics);
        var incidents = messages.GroupBy(m => m.Id).ToList();
        output.WriteLine($"{anomalies} anomaly messages, {incidents.Count} incidents, {messages.Count} incident messages " +
            $"({string.Join(", ", messages.GroupBy(m => m.State).Select(g => $"{g.Key} {g.Count()}"))})");

        Assert.NotEmpty(incidents);
        Assert.True(incidents.Count * 5 <= anomalies, $"{incidents.Count} incidents for {anomalies} anomalies");
        Assert.All(incidents, incident =>
        {
            IncidentSnapshot[] ordered = [.. incident.OrderBy(m => m.Sequence)];
            Assert.Equal(Enumerable.Range(1, ordered.Length), ordered.Select(m => m.Sequence));
            Assert.Equal(IncidentState.Open, ordered[0].State);
            Assert.All(ordered.Skip(1).SkipLast(1), m => Assert.Equal(IncidentState.Update, m.State));
            Assert.Single(ordered.Select(m => m.Entity).Distinct());
            Assert.True(ordered[^1].Anomalies >= ordered[0].Anomalies);
            Assert.NotNull(ordered[0].FirstEvent);
        });
        // Every host's incidents are apart in time: none opened twice.
        foreach (IGrouping<string, IncidentSnapshot> host in messages.GroupBy(m => m.Entity))
        {
            var spans = host.GroupBy(m => m.Id).Select(g => g.MaxBy(m => m.Sequence)!).OrderBy(m => m.Start).ToList();
            Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.True(pair.First.End < pair.Second.Start, $"{host.Key}: {pair.First.Id} and {pair.Second.Id} overlap"));
        }
    }

    [SkippableFact]
    public async Task Open_incidents_reach_a_real_Alertmanager_with_their_labels_and_leave_it_when_resolved()
    {
        Skip.If(AlertmanagerProcess.UnavailableReason is not null, AlertmanagerProcess.UnavailableReason);
        using AlertmanagerProcess alertmanager = await AlertmanagerProcess.StartAsync();
        TestTopics topics = cluster.CreateTopics("alerting", partitions: 1);
        var generator = new OpsEventGenerator(hosts: 4, anomalyRate: 0, seed: 47);
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, generator);
        await feed.RunAsync(count: 6_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        await using var worker = new WorkerRun(cluster, topics, checkpoints.Path, new Dictionary<string, string?>
        {
            ["Alerting:Alertmanager:Url"] = alertmanager.Url,
            ["Alerting:Alertmanager:ResendInterval"] = "00:00:02",
            ["Incidents:IdleTimeout"] = "00:00:05",
        });
        await worker.StartAsync();
        Assert.True(await Wait.UntilAsync(() => worker.Metrics.ModelVersion > 0 && worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(120)));

        // One host's latency goes up tenfold for a while: one incident.
        cluster.ProduceAll(topics.Input, Enumerable.Range(0, 8).Select(i => ($"h02:fault{i}", LatencyFaults.Event("h02", i))));
        JsonElement alert = default;
        Assert.True(await Wait.UntilAsync(async () =>
        {
            List<JsonElement> alerts = await alertmanager.AlertsAsync();
            alert = alerts.FirstOrDefault(a => a.GetProperty("labels").GetProperty("entity").GetString() == "h02");
            return alert.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(60)), "the incident never reached Alertmanager");
        JsonElement labels = alert.GetProperty("labels");
        output.WriteLine($"Alertmanager has: {alert}");

        Assert.Equal("VaeStreamIncident", labels.GetProperty("alertname").GetString());
        Assert.Equal("anomaly", labels.GetProperty("kind").GetString());
        Assert.StartsWith("latency", labels.GetProperty("feature").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("anomaly-", labels.GetProperty("incident").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", alert.GetProperty("status").GetProperty("state").GetString());
        Assert.Contains("h02", alert.GetProperty("annotations").GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The host goes quiet (no events at all): the idle timeout resolves the incident, and Alertmanager drops it.
        Assert.True(await Wait.UntilAsync(async () => (await alertmanager.AlertsAsync()).Count == 0, TimeSpan.FromSeconds(60)),
            "the resolved incident is still active in Alertmanager");
        Assert.Contains(ReadIncidents(topics), m => m.State == IncidentState.Resolved && m.ResolvedBy == "idle" && m.Entity == "h02");
    }

    [Fact]
    public async Task An_unreachable_Alertmanager_is_retried_and_counted_and_never_holds_up_the_pipeline()
    {
        TestTopics topics = cluster.CreateTopics("alerting-down", partitions: 1);
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 4, anomalyRate: 0, seed: 59));
        await feed.RunAsync(count: 6_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        int port = MetricsScrape.FreePort();
        using var scrape = new MetricsScrape(port);
        await using var worker = new WorkerRun(cluster, topics, checkpoints.Path, new Dictionary<string, string?>
        {
            // Nothing listens on port 1.
            ["Alerting:Alertmanager:Url"] = "http://127.0.0.1:1",
            ["Alerting:Alertmanager:MaxBackoff"] = "00:00:02",
            ["Operations:Enabled"] = "true",
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await worker.StartAsync();
        Assert.True(await Wait.UntilAsync(() => worker.Metrics.ModelVersion > 0 && worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(120)));

        cluster.ProduceAll(topics.Input, Enumerable.Range(0, 8).Select(i => ($"h01:fault{i}", LatencyFaults.Event("h01", i))));
        double failures = 0;
        Assert.True(await Wait.UntilAsync(async () =>
        {
            failures = (await scrape.SamplesAsync())["vaestream_alertmanager_posts_total{outcome=\"failure\"}"];
            return failures >= 2;
        }, TimeSpan.FromSeconds(60)), $"{failures} failed posts counted");

        // Scoring and commits went on: every event scored, every offset committed, the incident on its topic.
        Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= feed.Produced + 8 && cluster.Progress(topics).All(p => p.Committed == p.End),
            TimeSpan.FromSeconds(30)), $"scored {worker.Metrics.Scored} of {feed.Produced + 8}");
        Assert.Contains(ReadIncidents(topics), m => m.Entity == "h01" && m.State == IncidentState.Open);
    }

    private List<IncidentSnapshot> ReadIncidents(TestTopics topics) =>
        [.. cluster.ReadToEnd(topics.Incidents, TimeSpan.FromSeconds(20)).Select(r => IncidentMessages.Read(r.Message.Value)).OfType<IncidentSnapshot>()];
}
