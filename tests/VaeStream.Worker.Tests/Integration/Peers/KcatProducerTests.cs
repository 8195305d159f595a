using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.Peers;

/// <summary>
/// Events written by kcat (Debian's <c>kcat</c>, librdkafka's command-line client), a producer this project did not
/// write: what a team's own scripts and pipelines send. Each line kcat reads becomes one record, keyed by the text
/// before a tab.
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class KcatProducerTests(MockClusterFixture cluster) : IDisposable
{
    private const string Kcat = "/usr/bin/kcat";
    private readonly TempDirectory work = new("vaestream-kcat-");

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public async Task Events_kcat_produces_are_all_scored_the_malformed_dead_lettered_and_every_offset_committed()
    {
        Skip.IfNot(File.Exists(Kcat), $"{Kcat} is not installed: .ci/run installs Debian's kcat package, and this machine could not.");
        TestTopics topics = cluster.CreateTopics("kcat", partitions: 2);
        List<GeneratedEvent> events = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 33).Generate(20_000).ToList();
        string[] malformed = ["not json", "{\"host\":\"h01\",\"cpu\":", "{\"host\":\"h02\",\"ts\":1793750400000,\"cpu\":\"high\"}"];
        var lines = new StringBuilder();
        foreach (GeneratedEvent e in events)
        {
            lines.Append(e.Key).Append('\t').Append(Encoding.UTF8.GetString(e.Value)).Append('\n');
        }

        foreach ((string line, int i) in malformed.Select((l, i) => (l, i)))
        {
            lines.Append("bad-").Append(i).Append('\t').Append(line).Append('\n');
        }

        string input = Path.Combine(work.Path, "events.tsv");
        await File.WriteAllTextAsync(input, lines.ToString());

        (int exitCode, string errors) = await RunKcatAsync(topics.Input, input);
        Assert.True(exitCode == 0, $"kcat exited with {exitCode}: {errors}");

        int total = events.Count + malformed.Length;
        await using (var worker = new WorkerRun(cluster, topics, Path.Combine(work.Path, "checkpoints")))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored + worker.Metrics.DeadLettered >= total, TimeSpan.FromSeconds(120)),
                $"scored {worker.Metrics.Scored} and dead-lettered {worker.Metrics.DeadLettered} of {total}");
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(60)),
                string.Join(", ", cluster.Progress(topics).Select(p => $"partition {p.Partition}: committed {p.Committed} of {p.End}")));
            Assert.Equal(events.Count, worker.Metrics.Scored);
            Assert.Equal(malformed.Length, worker.Metrics.DeadLettered);
        }

        List<ConsumeResult<string?, byte[]>> dead = cluster.ReadToEnd(topics.DeadLetters, TimeSpan.FromSeconds(20));
        Assert.Equal(["bad-0", "bad-1", "bad-2"], dead.Select(r => r.Message.Key).Order());

        // Each anomaly names a record kcat wrote, by its key, and carries that record's payload verbatim.
        Dictionary<string, GeneratedEvent> byKey = events.ToDictionary(e => e.Key);
        List<ConsumeResult<string?, byte[]>> anomalies = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(20));
        HashSet<string> injected = events.Where(e => e.IsAnomaly).Select(e => e.Key).ToHashSet();
        int caught = 0;
        foreach (ConsumeResult<string?, byte[]> anomaly in anomalies)
        {
            using JsonDocument message = JsonDocument.Parse(anomaly.Message.Value);
            string key = message.RootElement.GetProperty("key").GetString()!;
            Assert.True(byKey.TryGetValue(key, out GeneratedEvent? source), $"anomaly for a key kcat did not write: '{key}'");
            Assert.Equal(Encoding.UTF8.GetString(source.Value), message.RootElement.GetProperty("event").GetRawText());
            caught += injected.Contains(key) ? 1 : 0;
        }

        // The end-to-end test holds the detection floor; here the injected faults must still be found among what an
        // outside client sent.
        Assert.True(caught >= injected.Count / 2, $"{caught} of {injected.Count} injected anomalies flagged, {anomalies.Count} anomaly messages");
    }

    private async Task<(int ExitCode, string Errors)> RunKcatAsync(string topic, string inputFile)
    {
        var start = new ProcessStartInfo(Kcat, ["-P", "-b", cluster.BootstrapServers, "-t", topic, "-K", "\t", "-l", inputFile])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, errors);
    }
}
