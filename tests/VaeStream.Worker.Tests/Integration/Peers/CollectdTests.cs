using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.Peers;

/// <summary>
/// A real telemetry agent as the input: Debian's collectd writes its cpu, memory, load and interface value lists to
/// the mock cluster with <c>write_kafka</c> (JSON), and the worker, on the shipped <c>collectd.json</c> schema, pivots
/// those narrow messages into one row per host and interval and scores them.
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class CollectdTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private const string Host = "vaestream-test";
    private readonly TempDirectory work = new("vaestream-collectd-test-");

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public async Task Collectd_value_lists_become_one_scored_row_per_interval_and_every_offset_commits()
    {
        string? unavailable = CollectdProcess.UnavailableReason;
        Skip.If(unavailable is not null, unavailable);
        TestTopics topics = cluster.CreateTopics("collectd", partitions: 2);

        // The shipped schema's features, matches and paths; its interval is 1 s instead of 10 s, so that a run of well
        // under a minute gives enough rows to train on, and quiet hosts close after 3 s.
        JsonNode schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "config", "schemas", "collectd.json")))!;
        schema["aggregation"]!["interval"] = "1s";
        schema["aggregation"]!["idleTimeout"] = "3s";
        string schemaPath = Path.Combine(work.Path, "collectd.json");
        File.WriteAllText(schemaPath, schema.ToJsonString());

        await using (var worker = new WorkerRun(cluster, topics, Path.Combine(work.Path, "checkpoints"), new Dictionary<string, string?>
        {
            ["Features:SchemaPath"] = schemaPath,
            ["Retraining:WarmupEvents"] = "20",
        }))
        {
            await worker.StartAsync();
            using (CollectdProcess collectd = CollectdProcess.Start(cluster.BootstrapServers, topics.Input, Host))
            {
                Assert.True(await Wait.UntilAsync(() => worker.Metrics.ModelVersion >= 1 || !collectd.Running, TimeSpan.FromSeconds(90)),
                    $"no model after 90 s: {worker.Metrics.Scored} rows scored; collectd said: {collectd.Log}");
                Assert.True(collectd.Running, $"collectd exited: {collectd.Log}");

                // Reported, not asserted: what the worker makes of a core kept busy for 10 s.
                long flaggedBefore = worker.Metrics.Flagged;
                DateTimeOffset busyFrom = DateTimeOffset.UtcNow;
                await Task.Run(() =>
                {
                    var until = DateTime.UtcNow.AddSeconds(10);
                    while (DateTime.UtcNow < until)
                    {
                        Thread.SpinWait(1000);
                    }
                });
                DateTimeOffset busyTo = DateTimeOffset.UtcNow;
                await Task.Delay(TimeSpan.FromSeconds(5));
                collectd.Stop();
                output.WriteLine($"busy loop {busyFrom:HH:mm:ss}–{busyTo:HH:mm:ss}: {worker.Metrics.Flagged - flaggedBefore} rows flagged after it began (scored so far {worker.Metrics.Scored})");
            }

            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(60)),
                string.Join(", ", cluster.Progress(topics).Select(p => $"partition {p.Partition}: committed {p.Committed} of {p.End}")));

            // Every interval collectd's messages fall in, for the plugins the schema reads, became a scored row.
            List<ConsumeResult<string?, byte[]>> sent = cluster.ReadToEnd(topics.Input, TimeSpan.FromSeconds(20));
            HashSet<long> intervals = [.. sent.SelectMany(Records).Where(Selected).Select(r => (long)Math.Floor(r.GetProperty("time").GetDouble()))];
            output.WriteLine($"collectd sent {sent.Count} messages in {intervals.Count} one-second intervals; the worker scored {worker.Metrics.Scored} rows, flagged {worker.Metrics.Flagged}, dead-lettered {worker.Metrics.DeadLettered}, late {worker.Metrics.LateEvents}");
            Assert.True(intervals.Count >= 25, $"only {intervals.Count} intervals in {sent.Count} messages");
            Assert.Equal(0, worker.Metrics.DeadLettered);
            Assert.Equal(0, worker.Metrics.LateEvents);
            Assert.Equal(intervals.Count, worker.Metrics.Scored);
        }

        foreach (ConsumeResult<string?, byte[]> anomaly in cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(20)))
        {
            using JsonDocument message = JsonDocument.Parse(anomaly.Message.Value);
            JsonElement root = message.RootElement;
            string features = string.Join(", ", root.GetProperty("contributions").EnumerateArray()
                .Select(c => $"{c.GetProperty("feature").GetString()} {c.GetProperty("value").GetDouble():G4} (expected {c.GetProperty("expected").GetDouble():G4})"));
            output.WriteLine($"anomaly {root.GetProperty("source").GetProperty("intervalStart").GetDateTimeOffset():HH:mm:ss} score {root.GetProperty("score").GetDouble():F1} / {root.GetProperty("threshold").GetDouble():F1}: {features}");
        }
    }

    private static IEnumerable<JsonElement> Records(ConsumeResult<string?, byte[]> message) =>
        JsonDocument.Parse(message.Message.Value).RootElement.EnumerateArray().ToList();

    // The records some feature of the shipped schema reads: a cpu percent other than idle, memory used, load, lo's
    // octets; and only once they carry a value (the first interface reading is null).
    private static bool Selected(JsonElement record)
    {
        string plugin = record.GetProperty("plugin").GetString()!, type = record.GetProperty("type").GetString()!, instance = record.GetProperty("type_instance").GetString()!;
        bool read = (plugin, type) switch
        {
            ("cpu", "percent") => instance is "user" or "system" or "wait",
            ("memory", _) => instance == "used",
            ("load", "load") => true,
            ("interface", "if_octets") => true,
            _ => false,
        };
        return read && record.GetProperty("values")[0].ValueKind == JsonValueKind.Number;
    }
}
