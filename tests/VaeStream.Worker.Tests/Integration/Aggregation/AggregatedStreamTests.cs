using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.Aggregation;

/// <summary>
/// The worker on an aggregated schema (the shipped <c>http-requests.json</c>) over the mock cluster: request events
/// become one row per service and 10 s interval, every interval is scored, bad and late events are dead-lettered, the
/// failing service's intervals are flagged with their source interval, and every input offset is committed once the
/// stream goes quiet.
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class AggregatedStreamTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory work = new("vaestream-aggregated-");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Request_events_become_scored_intervals_the_failing_service_is_flagged_and_every_offset_commits()
    {
        TestTopics topics = cluster.CreateTopics("aggregated", partitions: 3);
        var stream = new HttpRequestStream(services: 8, intervals: 120, seed: 5);
        byte[][] malformed = ["not json"u8.ToArray(), """{"service":"svc-01","ts":"yesterday","status":200}"""u8.ToArray()];
        // Far behind its service's watermark once the stream has run: its interval closed long ago.
        long lateTs = (HttpRequestStream.Start + TimeSpan.FromSeconds(5)).ToUnixTimeMilliseconds();
        byte[] late = Encoding.UTF8.GetBytes($$"""{"service":"svc-02","ts":{{lateTs}},"status":200,"latency_ms":20,"user":"u1"}""");
        cluster.ProduceAll(topics.Input, [
            .. stream.Events.Select(e => (e.Key, e.Value)),
            .. malformed.Select(m => ("svc-01", m)),
            ("svc-02", late)]);

        // The shipped schema, with a short idle timeout so that the last intervals close soon after the stream stops.
        string schema = Path.Combine(work.Path, "http-requests.json");
        JsonNode shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "config", "schemas", "http-requests.json")))!;
        shipped["aggregation"]!["idleTimeout"] = "2s";
        File.WriteAllText(schema, shipped.ToJsonString());

        await using (var worker = new WorkerRun(cluster, topics, Path.Combine(work.Path, "checkpoints"), new Dictionary<string, string?>
        {
            ["Features:SchemaPath"] = schema,
            ["Retraining:WarmupEvents"] = "400",
        }))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(120)),
                $"scored {worker.Metrics.Scored} of {stream.Rows} rows; " + string.Join(", ", cluster.Progress(topics).Select(p => $"partition {p.Partition}: committed {p.Committed} of {p.End}")));
            Assert.Equal(stream.Rows, worker.Metrics.Scored);
            Assert.Equal(malformed.Length + 1, worker.Metrics.DeadLettered);
            Assert.Equal(1, worker.Metrics.LateEvents);
        }

        List<ConsumeResult<string?, byte[]>> dead = cluster.ReadToEnd(topics.DeadLetters, TimeSpan.FromSeconds(20));
        Assert.Equal(1, dead.Count(d => Header(d, "vaestream.error.kind") == "Late"));

        List<ConsumeResult<string?, byte[]>> anomalies = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(20));
        var flagged = new List<(string Service, DateTimeOffset Start)>();
        foreach (ConsumeResult<string?, byte[]> anomaly in anomalies)
        {
            using JsonDocument message = JsonDocument.Parse(anomaly.Message.Value);
            JsonElement root = message.RootElement;
            JsonElement source = root.GetProperty("source");
            DateTimeOffset start = source.GetProperty("intervalStart").GetDateTimeOffset();
            Assert.Equal(HttpRequestStream.Interval, source.GetProperty("intervalEnd").GetDateTimeOffset() - start);
            Assert.InRange(source.GetProperty("events").GetInt32(), 15, 25);
            JsonElement partition = Assert.Single(source.GetProperty("partitions").EnumerateArray());
            Assert.True(partition.GetProperty("firstOffset").GetInt64() <= partition.GetProperty("lastOffset").GetInt64());
            // The event of an interval's anomaly is the interval's row, in the events' own units.
            Assert.Equal(source.GetProperty("events").GetInt32(), root.GetProperty("event").GetProperty("features").GetProperty("requests").GetDouble());
            flagged.Add((root.GetProperty("entity").GetString()!, start));
        }

        DateTimeOffset[] faulty = [.. HttpRequestStream.FaultyIntervals.Select(k => HttpRequestStream.Start + HttpRequestStream.Interval * k)];
        int caught = faulty.Count(start => flagged.Contains((HttpRequestStream.FaultyService, start)));
        Assert.True(caught >= 2, $"{caught} of {faulty.Length} failing intervals flagged; flagged: {string.Join(", ", flagged.Select(f => $"{f.Service}@{f.Start:HH:mm:ss}"))}");
        Assert.True(flagged.Count <= stream.Rows / 10, $"{flagged.Count} of {stream.Rows} rows flagged");
    }

    private static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out byte[] value) == true ? Encoding.UTF8.GetString(value) : null;
}
