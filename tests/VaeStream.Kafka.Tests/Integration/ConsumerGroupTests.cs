using System.Collections.Concurrent;
using System.Diagnostics;
using VaeStream.Kafka.Configuration;
using Xunit.Abstractions;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>
/// Two consume loops in one group on librdkafka's mock cluster, a real Kafka-protocol broker: partitions move between
/// them mid-stream, with and without events in flight, and one member loses its partitions. Every produced offset is
/// processed at least once, nothing below the commit at a hand-over is processed again, and the committed offsets reach the end.
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class ConsumerGroupTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private const int Partitions = 4;
    private const int ChannelCapacity = 10;
    private const int MoreAfterHandOver = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    // Slow enough that the first member is still mid-stream when the second one has joined.
    private static readonly TimeSpan PerEvent = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentQueue<Processed> processed = new();
    private readonly List<GroupMember> members = [];
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly string group = $"group-{Guid.NewGuid():N}";
    private long stoppedAt = long.MaxValue;

    public void Dispose() => members.ForEach(m => m.Dispose());

    [Fact]
    public async Task A_member_joining_mid_stream_takes_partitions_over_with_nothing_lost_or_repeated()
    {
        string topic = cluster.CreateTopic("join", Partitions);
        cluster.Produce(topic, Partitions, perPartition: 1500);
        GroupMember a = Join("A", Options(topic));
        Assert.True(Wait.Until(() => processed.Count >= 500, Patience), $"A processed {processed.Count}");

        Dictionary<int, long> committedAtHandOver = Committed(topic);
        GroupMember b = Join("B", Options(topic));
        AssertEverythingProcessed(topic, Partitions * 1500);
        await StopAll(topic);

        List<Rebalance> handovers = a.Observed.Of("revoked").Where(r => r.At < stoppedAt).ToList();
        Assert.NotEmpty(handovers);
        Assert.True(processed.Count(p => p.Member == "B") > 500, $"B processed {processed.Count(p => p.Member == "B")}");
        // The pipeline finished its few in-flight events at once, so the revoke did not sit out its 20 s drain timeout.
        Assert.All(handovers, r => Assert.True(r.Took < TimeSpan.FromSeconds(10), $"revoke of {string.Join(",", r.Partitions)} took {r.Took}"));
        // A revoke drains the partition's events, stores their offsets and commits them as the partition leaves, so
        // on an idle machine only what was in flight comes round again. When that commit meets the rebalance
        // ("Group rebalance in progress", seen in a busy CI run: 520 repeats) the new owner starts from the last
        // auto-commit instead: still nothing below the commit at the hand-over may repeat.
        AssertRepeatsOnlyAboveTheCommit(committedAtHandOver, handovers.Count * (ChannelCapacity + 1));
        AssertCommittedToTheEnd(topic);
    }

    [Fact]
    public async Task A_revoke_with_events_in_flight_waits_out_its_drain_timeout_and_the_new_owner_reads_them_again()
    {
        string topic = cluster.CreateTopic("revoke", Partitions);
        cluster.Produce(topic, Partitions, perPartition: 600);
        TimeSpan drainTimeout = TimeSpan.FromSeconds(3);
        GroupMember a = Join("A", Options(topic, o => o.RevokeDrainTimeout = drainTimeout));
        Assert.True(Wait.Until(() => processed.Count >= 300, Patience), $"A processed {processed.Count}");

        // A's pipeline holds events of every partition and stops reading: the channel fills and A pauses.
        a.Pipeline.Stall(Partitions);
        Assert.True(Wait.Until(() => a.Pipeline.IsStalled && a.Queued == ChannelCapacity, Patience), $"held {a.Pipeline.Held}, queued {a.Queued}");
        int inFlight = a.Pipeline.Held + a.Queued;
        Dictionary<int, long> committedAtHandOver = Committed(topic);
        GroupMember b = Join("B", Options(topic));
        Assert.True(Wait.Until(() => a.Observed.Of("revoked").Any(), Patience), "A never revoked a partition");
        a.Pipeline.Resume();
        AssertEverythingProcessed(topic, Partitions * 600);
        await StopAll(topic);

        Rebalance revoke = a.Observed.Of("revoked").First();
        output.WriteLine($"A held {inFlight} events; its revoke of {string.Join(",", revoke.Partitions)} took {revoke.Took.TotalSeconds:F1} s");
        Assert.InRange(revoke.Took, drainTimeout, drainTimeout + TimeSpan.FromSeconds(10));
        // What A finished after the revoke was never stored, so the partition's new owner processed it again.
        var revoked = revoke.Partitions.Select(p => p.Partition.Value).ToHashSet();
        List<Processed> stale = processed.Where(p => p.Member == "A" && p.Stale).ToList();
        Assert.NotEmpty(stale);
        Assert.All(stale, s => Assert.Contains(s.Partition, revoked));
        AssertProcessedAgainByAnOwner(stale, "B");
        AssertRepeatsOnlyAboveTheCommit(committedAtHandOver, inFlight);
        AssertCommittedToTheEnd(topic);
    }

    [Fact]
    public async Task A_member_whose_poll_stalls_past_max_poll_interval_loses_its_partitions_and_stores_none_of_their_events()
    {
        string topic = cluster.CreateTopic("lost", Partitions);
        cluster.Produce(topic, Partitions, perPartition: 1500);
        // A's pipeline will stall with the channel full: the consume thread then waits 5 s for room before it
        // pauses, past A's 3 s max.poll.interval.ms, so librdkafka takes A out of the group and reports its
        // partitions lost on the next poll.
        GroupMember a = Join("A", Options(topic, o =>
        {
            o.BackpressureWait = TimeSpan.FromSeconds(5);
            o.Properties["max.poll.interval.ms"] = "3000";
        }));
        Assert.True(Wait.Until(() => a.Status.AssignedPartitions == Partitions, Patience), "A got no partitions");
        GroupMember b = Join("B", Options(topic));
        Assert.True(Wait.Until(() => a.Status.AssignedPartitions == 2 && b.Status.AssignedPartitions == 2, Patience),
            $"assigned A {a.Status.AssignedPartitions}, B {b.Status.AssignedPartitions}");

        // Fresh events after the stall: on a busy machine the hand-over took 10 s, and A had read its two partitions to
        // the end by then, leaving it nothing to hold.
        a.Pipeline.Stall(2);
        cluster.Produce(topic, Partitions, perPartition: MoreAfterHandOver);
        Assert.True(Wait.Until(() => a.Pipeline.IsStalled && a.Queued == ChannelCapacity, Patience), $"held {a.Pipeline.Held}, queued {a.Queued}");
        int inFlight = a.Pipeline.Held + a.Queued;
        Dictionary<int, long> committedAtHandOver = Committed(topic);
        Assert.True(Wait.Until(() => a.Observed.Of("lost").Any(), Patience), "A's partitions were never lost");
        a.Pipeline.Resume();
        AssertEverythingProcessed(topic, Partitions * (1500 + MoreAfterHandOver));
        await StopAll(topic);

        Rebalance lost = a.Observed.Of("lost").First();
        output.WriteLine($"A held {inFlight} events when it lost {string.Join(",", lost.Partitions)}");
        Assert.Equal(2, lost.Partitions.Count);
        var lostPartitions = lost.Partitions.Select(p => p.Partition.Value).ToHashSet();
        List<Processed> stale = processed.Where(p => p.Member == "A" && p.Stale).ToList();
        Assert.NotEmpty(stale);
        Assert.All(stale, s => Assert.Contains(s.Partition, lostPartitions));
        // The partitions' next owner may be B or A itself, rejoined with a new assignment: either way it read them again.
        AssertProcessedAgainByAnOwner(stale, null);
        AssertRepeatsOnlyAboveTheCommit(committedAtHandOver, inFlight);
        AssertCommittedToTheEnd(topic);
    }

    private KafkaOptions Options(string topic, Action<KafkaOptions>? tune = null)
    {
        var options = new KafkaOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = group,
            InputTopics = [topic],
            RevokeDrainTimeout = TimeSpan.FromSeconds(20),
            BackpressureWait = TimeSpan.FromMilliseconds(200),
            Properties =
            {
                // The mock cluster holds each rebalance of a non-empty group for session.timeout.ms − 1 s, and a
                // cooperative hand-over takes two: at 3 s a join costs about 4 s rather than 18.
                ["session.timeout.ms"] = "3000",
                ["heartbeat.interval.ms"] = "500",
                // A fetch then brings a batch or two of each partition, so a stalled pipeline holds events of every
                // partition after a few dozen records rather than hundreds.
                ["max.partition.fetch.bytes"] = "2048",
            },
        };
        tune?.Invoke(options);
        return options;
    }

    private GroupMember Join(string name, KafkaOptions options)
    {
        var member = new GroupMember(name, options, ChannelCapacity, PerEvent, processed, output, started);
        members.Add(member);
        return member;
    }

    private void AssertEverythingProcessed(string topic, int produced)
    {
        bool all = Wait.Until(() => processed.Select(p => (p.Partition, p.Offset)).Distinct().Count() == produced, Patience);
        Assert.True(all, $"{processed.Select(p => (p.Partition, p.Offset)).Distinct().Count()} of {produced} offsets of {topic} processed");
    }

    // Auto-commit sends what was stored within a second; waiting for it first makes the check after the stop
    // independent of whether the final commits met a rebalance (one member's leave while the other commits), which
    // they pass over by design. The stop must then still complete cleanly, and the commits must not go back.
    private async Task StopAll(string topic)
    {
        bool committed = Wait.Until(() => cluster.Progress(topic, group, Partitions).All(p => p.Committed == p.End), Patience);
        Assert.True(committed, Describe(cluster.Progress(topic, group, Partitions)));
        stoppedAt = Stopwatch.GetTimestamp();
        await Task.WhenAll(members.Select(m => m.StopAsync()));
    }

    private static string Describe(List<(int Partition, long Committed, long End)> progress) =>
        string.Join(", ", progress.Select(p => $"partition {p.Partition}: committed {p.Committed} of {p.End}"));

    private void AssertProcessedAgainByAnOwner(List<Processed> stale, string? owner)
    {
        var owned = processed.Where(p => !p.Stale && (owner is null || p.Member == owner)).Select(p => (p.Partition, p.Offset)).ToHashSet();
        List<Processed> notAgain = stale.Where(s => !owned.Contains((s.Partition, s.Offset))).ToList();
        Assert.True(notAgain.Count == 0, $"{notAgain.Count} of {stale.Count} events finished after their partition left were not processed by {owner ?? "an owner"}, e.g. {string.Join(", ", notAgain.Take(5))}");
    }

    private Dictionary<int, long> Committed(string topic) =>
        cluster.Progress(topic, group, Partitions).ToDictionary(p => p.Partition, p => Math.Max(0, p.Committed));

    // At-least-once allows a new owner to repeat what was processed above the partition's committed offset when it
    // took over (sampled just before the hand-over; commits only move up, so the check is conservative), and nothing
    // below it. How much lies above it depends on when auto-commit last ran and whether the commit at revoke met the
    // rebalance: on an idle machine it was what was in flight; on a loaded one, up to a second or two of processing.
    private void AssertRepeatsOnlyAboveTheCommit(Dictionary<int, long> committed, int inFlight)
    {
        var repeated = processed.GroupBy(p => (p.Partition, p.Offset)).Where(g => g.Count() > 1).ToList();
        var belowCommit = repeated.Where(g => g.Key.Offset < committed.GetValueOrDefault(g.Key.Partition)).Select(g => g.Key).ToList();
        int repeats = repeated.Sum(g => g.Count() - 1);
        // Only what A, the member that gave partitions up, processed above the commit can come round again.
        int window = processed.Where(p => p.Member == "A" && p.Offset >= committed.GetValueOrDefault(p.Partition)).Select(p => (p.Partition, p.Offset)).Distinct().Count();
        output.WriteLine($"{processed.Count} processings, {repeats} repeats; {inFlight} in flight, {window} offsets A processed above the commit at the hand-over");
        Assert.True(belowCommit.Count == 0, $"{belowCommit.Count} committed offsets processed again, e.g. {string.Join(", ", belowCommit.Take(5))}");
        Assert.InRange(repeats, 0, window);
    }

    private void AssertCommittedToTheEnd(string topic)
    {
        List<(int Partition, long Committed, long End)> progress = cluster.Progress(topic, group, Partitions);
        Assert.True(progress.Count == Partitions && progress.All(p => p.Committed == p.End), Describe(progress));
    }
}
