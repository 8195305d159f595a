using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

/// <summary>A broker that goes away under a running worker: logged with restraint, counted, and said by /readyz.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class BrokerOutageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private readonly TempDirectory checkpoints = new("vaestream-outage-");
    private readonly int port = MetricsScrape.FreePort();

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public async Task While_the_broker_is_down_each_kind_of_client_error_is_logged_once_per_interval_and_readyz_says_why()
    {
        // A cluster of its own: taking the broker down must not disturb the other tests.
        using var cluster = new MockClusterFixture();
        TestTopics topics = cluster.CreateTopics("outage", partitions: 2);
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 23));
        await feed.RunAsync(count: 6_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        var logs = new LogRecorder();
        using var scrape = new MetricsScrape(port);
        await using var worker = new WorkerRun(cluster, topics, checkpoints.Path, new Dictionary<string, string?>
        {
            ["Kafka:ClientErrorLogInterval"] = LogInterval.ToString(),
            ["Operations:Enabled"] = "true",
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, configure: s => s.AddSingleton<ILoggerProvider>(logs));
        await worker.StartAsync();
        Assert.True(await Wait.UntilAsync(async () => await scrape.StatusAsync("readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(120)), "never ready");

        TimeSpan downAt = logs.Now;
        var down = Stopwatch.StartNew();
        cluster.Cluster.SetBrokerDown(1);
        string reason = "";
        Assert.True(await Wait.UntilAsync(async () =>
        {
            (HttpStatusCode status, string body) = await scrape.GetAsync("readyz");
            reason = body;
            return status == HttpStatusCode.ServiceUnavailable && body.Contains("no Kafka broker reachable", StringComparison.Ordinal);
        }, Outage), $"/readyz during the outage: {reason}");
        Dictionary<string, double> during = await scrape.SamplesAsync();
        await Task.Delay(Outage - down.Elapsed);
        TimeSpan upAt = logs.Now;
        cluster.Cluster.SetBrokerUp(1);
        Assert.True(await Wait.UntilAsync(async () => await scrape.StatusAsync("readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(60)),
            "not ready again after the broker came back");
        Dictionary<string, double> after = await scrape.SamplesAsync();

        List<LoggedEntry> clientLines = logs.Entries
            .Where(e => e.At >= downAt && e.At <= upAt && e.Category.StartsWith("VaeStream.Kafka", StringComparison.Ordinal) && e.Level >= LogLevel.Warning)
            .ToList();
        var perKind = clientLines.GroupBy(Kind).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"/readyz said: {reason}");
        output.WriteLine($"{clientLines.Count} client lines in {(upAt - downAt).TotalSeconds:F1} s: {string.Join(", ", perKind.Select(k => $"{k.Key} {k.Value}"))}");
        output.WriteLine($"client errors counted: consumer {after["vaestream_kafka_client_errors_total{client=\"consumer\"}"]}, producer {after["vaestream_kafka_client_errors_total{client=\"producer\"}"]}");

        Assert.NotEmpty(clientLines);
        // At most one line per interval per kind: the first at once, then one per interval with a count.
        int allowed = (int)Math.Floor((upAt - downAt) / LogInterval) + 1;
        Assert.All(perKind, kind => Assert.True(kind.Value <= allowed, $"{kind.Key}: {kind.Value} lines, at most {allowed} allowed"));
        Assert.Equal(0, during["vaestream_kafka_brokers_reachable"]);
        Assert.Equal(1, after["vaestream_kafka_brokers_reachable"]);
        double consumerErrors = after["vaestream_kafka_client_errors_total{client=\"consumer\"}"];
        int consumerErrorLines = clientLines.Count(e => Equals(e.Fields.GetValueOrDefault("Client"), "consumer") && e.Fields.ContainsKey("Code"));
        Assert.True(consumerErrors > consumerErrorLines, $"{consumerErrors} consumer errors counted, {consumerErrorLines} logged: the throttle held none back");
    }

    // A line's kind is what the throttle keys on: the client plus librdkafka's facility or the error code.
    private static string Kind(LoggedEntry entry) =>
        $"{entry.Fields.GetValueOrDefault("Client")}/{entry.Fields.GetValueOrDefault("Facility") ?? entry.Fields.GetValueOrDefault("Code") ?? entry.Text[..Math.Min(30, entry.Text.Length)]}";
}
