using System.Text;
using Confluent.Kafka;
using VaeStream.Kafka.Producing;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

[Collection(MockClusterCollection.Name)]
public sealed class BadInputTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-bad-");

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public async Task Two_thousand_malformed_events_land_in_the_dead_letter_topic_and_valid_traffic_is_untouched()
    {
        var topics = cluster.CreateTopics("bad");
        var generator = new OpsEventGenerator(hosts: 10, anomalyRate: 0.01, seed: 5);
        List<GeneratedEvent> valid = generator.Generate(12_000).ToList();
        var malformed = generator.Malformed(1_999).Select(m => (m.Key, m.Value)).ToList();
        string padding = new('x', 2 * 1024 * 1024);
        malformed.Add(("bad:huge", Encoding.UTF8.GetBytes($$"""{"host":"h1","cpu":1,"pad":"{{padding}}"}""")));
        malformed.Add(("bad:tombstone", null!));
        malformed.Add(("bad:utf8", [.. Encoding.UTF8.GetBytes("""{"host":"h"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("""1","cpu":1}""")]));
        malformed.Add(("bad:ts-string", Encoding.UTF8.GetBytes("""{"host":"h1","ts":"1793491860000","cpu":1}""")));
        var random = new Random(9);
        var mixed = valid.Select(v => (v.Key, v.Value)).ToList();
        foreach ((string Key, byte[] Value) bad in malformed)
        {
            mixed.Insert(random.Next(mixed.Count), bad);
        }

        cluster.ProduceAll(topics.Input, mixed);

        await using (var worker = new WorkerRun(cluster, topics, checkpoints.Path))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored + worker.Metrics.DeadLettered >= mixed.Count, TimeSpan.FromSeconds(90)),
                $"scored {worker.Metrics.Scored}, dead-lettered {worker.Metrics.DeadLettered} of {mixed.Count}");
            Assert.Equal(valid.Count, worker.Metrics.Scored);
            Assert.Equal(malformed.Count, worker.Metrics.DeadLettered);
        }

        List<ConsumeResult<string?, byte[]>> letters = cluster.ReadToEnd(topics.DeadLetters, TimeSpan.FromSeconds(30));
        var byKey = letters.GroupBy(l => l.Message.Key!).ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(malformed.Select(m => m.Key).Order(), byKey.Keys.Order());
        foreach ((string key, byte[] value) in malformed)
        {
            Message<string?, byte[]> letter = byKey[key].Message;
            Assert.Equal(value, letter.Value);
            Assert.False(string.IsNullOrEmpty(Header(letter, DeadLetterMessages.ReasonHeader)));
            Assert.Equal(topics.Input, Header(letter, DeadLetterMessages.TopicHeader));
        }

        Assert.StartsWith("payload of ", Header(byKey["bad:huge"].Message, DeadLetterMessages.ReasonHeader), StringComparison.Ordinal);
        // A tombstone is copied as a tombstone (null, not empty), with a kind of its own.
        Assert.Null(byKey["bad:tombstone"].Message.Value);
        Assert.Equal("Tombstone", Header(byKey["bad:tombstone"].Message, DeadLetterMessages.KindHeader));
        Assert.Equal("MalformedJson", Header(byKey["bad:utf8"].Message, DeadLetterMessages.KindHeader));
        Assert.Equal("event: invalid UTF-8 at byte 10", Header(byKey["bad:utf8"].Message, DeadLetterMessages.ReasonHeader));
        Assert.EndsWith("found a string that is not ISO-8601 (value: \"1793491860000\")", Header(byKey["bad:ts-string"].Message, DeadLetterMessages.ReasonHeader), StringComparison.Ordinal);
        Assert.Equal("feature 'cpu' at path 'cpu': expected a number, found a string (value: \"high\")",
            Header(byKey[malformed.First(m => Encoding.UTF8.GetString(m.Value).Contains("\"high\"", StringComparison.Ordinal)).Key].Message, DeadLetterMessages.ReasonHeader));
        Assert.All(cluster.Progress(topics), p => Assert.Equal(p.End, p.Committed));
    }

    private static string? Header(Message<string?, byte[]> message, string name) =>
        message.Headers.TryGetLastBytes(name, out byte[] bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
