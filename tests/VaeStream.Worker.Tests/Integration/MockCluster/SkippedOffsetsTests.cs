using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

/// <summary>Records the broker deleted before the worker read them are counted and logged, not skipped in silence.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class SkippedOffsetsTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-skipped-");
    private readonly int port = MetricsScrape.FreePort();

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public async Task Records_trimmed_by_the_mock_cluster_before_the_worker_read_them_are_counted_and_logged_with_their_range()
    {
        TestTopics topics = cluster.CreateTopics("trim", partitions: 1);
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 37));
        await feed.RunAsync(count: 6_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        await using (var first = new WorkerRun(cluster, topics, checkpoints.Path))
        {
            await first.StartAsync();
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(120)),
                "the first worker did not commit its input");
        }

        long committed = cluster.Progress(topics).Single().Committed;
        // While no worker runs: 100 more events, then 6 MB of padding. The mock cluster keeps 5 MB per partition and
        // trims the oldest record batches, the unread events among them.
        await feed.RunAsync(count: 100, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);
        byte[] padding = Encoding.UTF8.GetBytes($$"""{"host":"padding","pad":"{{new string('x', 100_000)}}"}""");
        cluster.ProduceAll(topics.Input, Enumerable.Range(0, 60).Select(i => ($"pad{i}", padding)));
        long low = cluster.LowWatermark(topics.Input, 0);
        Assert.True(low > committed + 100, $"the broker kept offsets from {low}; committed {committed}: nothing unread was trimmed");

        var logs = new LogRecorder();
        using var scrape = new MetricsScrape(port);
        await using (var second = new WorkerRun(cluster, topics, checkpoints.Path, new Dictionary<string, string?>
        {
            ["Operations:Enabled"] = "true",
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, configure: s => s.AddSingleton<ILoggerProvider>(logs)))
        {
            await second.StartAsync();
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(120)),
                "the restarted worker did not read to the end");
            Dictionary<string, double> samples = await scrape.SamplesAsync();
            double skipped = samples[$"vaestream_offsets_skipped_total{{topic=\"{topics.Input}\",partition=\"0\"}}"];
            LoggedEntry line = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.Text.StartsWith("Skipped ", StringComparison.Ordinal));
            output.WriteLine($"committed {committed}, broker kept from {low}; metric {skipped}; log: {line.Text}");

            Assert.Equal(low - committed, skipped);
            Assert.StartsWith($"Skipped {low - committed} records of {topics.Input} [0], offsets {committed}..{low - 1}: the broker no longer had them",
                line.Text, StringComparison.Ordinal);
            Assert.Contains("Offset out of range", line.Text, StringComparison.Ordinal);
        }
    }
}
