using Microsoft.Extensions.DependencyInjection;
using VaeStream.Kafka.Testing;
using VaeStream.Simulation;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

[Collection(MockClusterCollection.Name)]
public sealed class BrokerFaultTests : IDisposable
{
    private const int NotLeaderOrFollower = 6;
    private const int RequestTimedOut = 7;
    private const int NotCoordinator = 16;
    private readonly TempDirectory checkpoints = new("vaestream-faults-");

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public async Task Produce_fetch_and_commit_errors_and_a_five_second_outage_lose_nothing()
    {
        // A cluster of its own: taking the broker down must not disturb the other tests.
        using var cluster = new MockClusterFixture();
        var topics = cluster.CreateTopics("faults");
        var timeline = new ScoreTimeline();
        var feed = new EventFeed(cluster.BootstrapServers, topics.Input, new OpsEventGenerator(hosts: 10, anomalyRate: 0.02, seed: 14));
        await feed.RunAsync(count: 8_000, rate: 1_000_000, malformedEvery: 0, CancellationToken.None);

        await using (var worker = new WorkerRun(cluster, topics, checkpoints.Path, configure: s => s.AddSingleton<IScoreObserver>(timeline)))
        {
            await worker.StartAsync();
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= 6_000, TimeSpan.FromSeconds(60)));
            cluster.Cluster.PushRequestErrors(KafkaApiKey.Produce, NotLeaderOrFollower, RequestTimedOut, NotLeaderOrFollower);
            cluster.Cluster.PushRequestErrors(KafkaApiKey.Fetch, NotLeaderOrFollower, NotLeaderOrFollower, NotLeaderOrFollower);
            cluster.Cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, NotCoordinator, NotCoordinator, NotCoordinator);
            Task more = feed.RunAsync(count: 8_000, rate: 4_000, malformedEvery: 0, CancellationToken.None);
            await Task.Delay(500);
            cluster.Cluster.SetBrokerDown(1);
            await Task.Delay(TimeSpan.FromSeconds(5));
            cluster.Cluster.SetBrokerUp(1);
            await more;

            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= feed.Produced, TimeSpan.FromSeconds(90)),
                $"scored {worker.Metrics.Scored} of {feed.Produced} after the outage");
            Assert.True(await Wait.UntilAsync(() => cluster.Progress(topics).All(p => p.Committed == p.End), TimeSpan.FromSeconds(30)));
        }

        HashSet<string> flaggedByWorker = timeline.Events.Where(e => e.Flagged).Select(e => e.Key).ToHashSet();
        HashSet<string> published = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(30)).Select(r => r.Message.Key!).ToHashSet();
        HashSet<string> scoredKeys = timeline.Events.Select(e => e.Key).ToHashSet();

        Assert.Equal(feed.Truth.Count, feed.Produced);
        Assert.All(feed.Truth.Keys, key => Assert.Contains(key, scoredKeys));
        Assert.Subset(published, flaggedByWorker);
        Assert.All(cluster.Progress(topics), p => Assert.Equal(p.End, p.Committed));
    }
}
