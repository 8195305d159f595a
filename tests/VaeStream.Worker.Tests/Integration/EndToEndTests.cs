using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using VaeStream.Worker.Demo;

namespace VaeStream.Worker.Tests.Integration;

[Collection(MockClusterCollection.Name)]
public sealed class EndToEndTests(MockClusterFixture cluster) : IDisposable
{
    private readonly string checkpoints = Directory.CreateTempSubdirectory("vaestream-e2e-").FullName;

    public void Dispose() => Directory.Delete(checkpoints, recursive: true);

    [Fact]
    public async Task Fifty_thousand_events_flow_through_with_anomalies_found_and_every_offset_committed()
    {
        var topics = cluster.CreateTopics("e2e");
        var generator = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 21);
        List<GeneratedEvent> events = generator.Generate(50_000).ToList();
        cluster.ProduceAll(topics.Input, events.Select(e => (e.Key, e.Value)));

        await using (var worker = new WorkerRun(cluster, topics, checkpoints))
        {
            await worker.StartAsync();
            Assert.True(await WorkerRun.WaitUntil(() => worker.Metrics.Scored >= events.Count, TimeSpan.FromSeconds(90)),
                $"scored {worker.Metrics.Scored} of {events.Count}");
        }

        HashSet<string> truth = events.Where(e => e.IsAnomaly).Select(e => e.Key).ToHashSet();
        List<ConsumeResult<string?, byte[]>> published = cluster.ReadAll(topics.Anomalies, truth.Count, TimeSpan.FromSeconds(20));
        HashSet<string> flagged = published.Select(r => r.Message.Key!).ToHashSet();
        double recall = truth.Count(flagged.Contains) / (double)truth.Count;
        double precision = flagged.Count(truth.Contains) / (double)flagged.Count;

        Assert.True(truth.Count > 300, $"{truth.Count} injected anomalies");
        Assert.True(recall >= 0.8, $"recall {recall:F3} ({flagged.Count} flagged, {truth.Count} injected)");
        Assert.True(precision >= 0.5, $"precision {precision:F3}");
        Assert.All(cluster.Progress(topics.Input, topics.Group, 4), p => Assert.Equal(p.End, p.Committed));

        using JsonDocument message = JsonDocument.Parse(published[0].Message.Value);
        JsonElement root = message.RootElement;
        Assert.Equal(published[0].Message.Key, root.GetProperty("key").GetString());
        Assert.Equal(topics.Input, root.GetProperty("source").GetProperty("topic").GetString());
        Assert.True(root.GetProperty("score").GetDouble() > root.GetProperty("threshold").GetDouble());
        Assert.Equal(1, root.GetProperty("modelVersion").GetInt32());
        Assert.Equal(5, root.GetProperty("contributions").GetArrayLength());
        Assert.Equal(Encoding.UTF8.GetString(events.Single(e => e.Key == published[0].Message.Key).Value), root.GetProperty("event").GetRawText());
    }
}
