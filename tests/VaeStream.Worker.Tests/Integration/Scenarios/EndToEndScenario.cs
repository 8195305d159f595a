using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// 50,000 generated events with about 1% injected anomalies through the in-process worker: the anomalies topic holds
/// at least 80% of them with precision at least 0.5, the messages have the documented shape, and every input offset
/// is committed.
/// </summary>
internal sealed class EndToEndScenario(KafkaTestBroker broker, string checkpoints)
{
    public async Task RunAsync()
    {
        TestTopics topics = broker.CreateTopics("e2e");
        var generator = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 21);
        List<GeneratedEvent> events = generator.Generate(50_000).ToList();
        broker.ProduceAll(topics.Input, events.Select(e => (e.Key, e.Value)));

        await using (var worker = new WorkerRun(broker, topics, checkpoints))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= events.Count, TimeSpan.FromSeconds(90)),
                $"scored {worker.Metrics.Scored} of {events.Count}");
        }

        HashSet<string> truth = events.Where(e => e.IsAnomaly).Select(e => e.Key).ToHashSet();
        List<ConsumeResult<string?, byte[]>> published = broker.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(20));
        HashSet<string> flagged = published.Select(r => r.Message.Key!).ToHashSet();
        double recall = truth.Count(flagged.Contains) / (double)truth.Count;
        double precision = flagged.Count(truth.Contains) / (double)flagged.Count;

        Assert.True(truth.Count > 300, $"{truth.Count} injected anomalies");
        Assert.True(recall >= 0.8, $"recall {recall:F3} ({flagged.Count} flagged, {truth.Count} injected)");
        Assert.True(precision >= 0.5, $"precision {precision:F3}");
        Assert.All(broker.Progress(topics), p => Assert.Equal(p.End, p.Committed));
        CheckMessageShape(published[0], topics, events);
    }

    private static void CheckMessageShape(ConsumeResult<string?, byte[]> anomaly, TestTopics topics, List<GeneratedEvent> events)
    {
        using JsonDocument message = JsonDocument.Parse(anomaly.Message.Value);
        JsonElement root = message.RootElement;
        Assert.Equal(anomaly.Message.Key, root.GetProperty("key").GetString());
        Assert.Equal(topics.Input, root.GetProperty("source").GetProperty("topic").GetString());
        Assert.True(root.GetProperty("score").GetDouble() > root.GetProperty("threshold").GetDouble());
        Assert.Equal(1, root.GetProperty("modelVersion").GetInt32());
        Assert.Equal(5, root.GetProperty("contributions").GetArrayLength());
        Assert.Equal(Encoding.UTF8.GetString(events.Single(e => e.Key == anomaly.Message.Key).Value), root.GetProperty("event").GetRawText());
    }
}
