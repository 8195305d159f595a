using System.Text;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Incidents;

public sealed class IncidentTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(T0);
    private readonly List<string> suppressed = [];
    private long offset;

    private IncidentTracker Tracker(Action<IncidentOptions>? configure = null)
    {
        var options = new IncidentOptions { OpenAfter = 3, Window = 5, QuietEvents = 4, UpdateInterval = TimeSpan.FromMinutes(5) };
        configure?.Invoke(options);
        return new IncidentTracker(options, time, suppressed.Add);
    }

    private AnomalyPoint Anomaly(float score = 10, string leader = "cpu", float value = 90, float expected = 20) =>
        new(new SourcePosition("events", 0, offset), T0.AddSeconds(offset), score, 2.0, "v1-abcdef12",
            [new FeatureContribution(leader, 0.8f, value, expected), new FeatureContribution("mem", 0.1f, 50, 49)],
            Encoding.UTF8.GetBytes($$"""{"n":{{offset}}}"""));

    // One event of the entity, one second of event and processing time after the previous.
    private IncidentSnapshot? Feed(IncidentTracker tracker, bool anomalous, string entity = "h1", float score = 10, string leader = "cpu")
    {
        offset++;
        time.Advance(TimeSpan.FromSeconds(1));
        return tracker.Observe(entity, T0.AddSeconds(offset), anomalous ? Anomaly(score, leader) : null);
    }

    private List<IncidentSnapshot> FeedAll(IncidentTracker tracker, string pattern, string entity = "h1") =>
        pattern.Select(c => Feed(tracker, c == 'x', entity)).OfType<IncidentSnapshot>().ToList();

    [Fact]
    public void An_incident_opens_when_M_of_the_last_N_events_are_anomalies_and_not_before()
    {
        IncidentTracker tracker = Tracker();

        Assert.Empty(FeedAll(tracker, "x..x...x.."));  // never 3 within any 5
        List<IncidentSnapshot> opened = FeedAll(tracker, "x.xx");

        IncidentSnapshot open = Assert.Single(opened);
        Assert.Equal(IncidentState.Open, open.State);
        Assert.Equal(1, open.Sequence);
        Assert.Equal(3, open.Anomalies);
        Assert.Equal(4, open.Scored);
        Assert.Equal(11, open.FirstSource.Offset);
        Assert.Equal(T0.AddSeconds(11), open.Start);
        Assert.Equal(T0.AddSeconds(14), open.End);
        Assert.Equal("cpu", open.Features[0].Feature);
        Assert.Equal(1, tracker.OpenCount);
    }

    [Fact]
    public void Further_anomalies_publish_an_update_only_on_a_new_peak_a_new_leader_or_after_the_interval()
    {
        IncidentTracker tracker = Tracker();
        FeedAll(tracker, "xxx");

        Assert.Null(Feed(tracker, true, score: 12));                    // below 1.5 × the published peak 10
        IncidentSnapshot peak = Feed(tracker, true, score: 16)!;        // a new peak
        Assert.Null(Feed(tracker, true, score: 16));
        // cpu led 6 anomalies at share 0.8 (4.8 in all): the 7th led by latency makes latency the leader.
        List<IncidentSnapshot?> shifting = Enumerable.Range(0, 7).Select(_ => Feed(tracker, true, score: 16, leader: "latency")).ToList();
        IncidentSnapshot leader = shifting[^1]!;
        time.Advance(TimeSpan.FromMinutes(5));
        IncidentSnapshot periodic = Feed(tracker, true, score: 16, leader: "latency")!;

        Assert.Equal((IncidentState.Update, 2, 16f), (peak.State, peak.Sequence, peak.PeakScore));
        Assert.All(shifting.SkipLast(1), Assert.Null);
        Assert.Equal((IncidentState.Update, 3, "latency"), (leader.State, leader.Sequence, leader.Features[0].Feature));
        Assert.Equal((IncidentState.Update, 4, 14), (periodic.State, periodic.Sequence, periodic.Anomalies));
    }

    [Fact]
    public void An_incident_resolves_after_the_quiet_period_and_a_later_burst_opens_a_new_one()
    {
        IncidentTracker tracker = Tracker();
        IncidentSnapshot open = FeedAll(tracker, "xxx").Single();

        Assert.Empty(FeedAll(tracker, "..."));
        IncidentSnapshot resolved = Feed(tracker, false)!;
        IncidentSnapshot reopened = FeedAll(tracker, "xxx").Single();

        Assert.Equal((IncidentState.Resolved, open.Id, 2, "quiet"), (resolved.State, resolved.Id, resolved.Sequence, resolved.ResolvedBy));
        Assert.Equal(T0.AddSeconds(3), resolved.End);
        Assert.Equal(IncidentState.Open, reopened.State);
        Assert.NotEqual(open.Id, reopened.Id);
    }

    [Fact]
    public void A_quiet_period_in_event_time_resolves_on_the_first_event_past_it()
    {
        IncidentTracker tracker = Tracker(o => (o.QuietEvents, o.QuietTime) = (0, TimeSpan.FromSeconds(10)));
        FeedAll(tracker, "xxx");

        Assert.Empty(FeedAll(tracker, "........."));
        Assert.Equal(IncidentState.Resolved, Feed(tracker, false)!.State);
    }

    [Fact]
    public void An_idle_entity_resolves_on_the_processing_time_timeout()
    {
        IncidentTracker tracker = Tracker(o => o.IdleTimeout = TimeSpan.FromMinutes(10));
        FeedAll(tracker, "xxx");
        FeedAll(tracker, "xxx", entity: "h2");

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(tracker.ExpireIdle(_ => true));
        Feed(tracker, false, entity: "h2");
        time.Advance(TimeSpan.FromMinutes(1));
        IncidentSnapshot idle = Assert.Single(tracker.ExpireIdle(_ => true));

        Assert.Equal(("h1", IncidentState.Resolved, "idle"), (idle.Entity, idle.State, idle.ResolvedBy));
        Assert.Equal(1, tracker.OpenCount);
    }

    [Fact]
    public void The_id_is_the_same_when_the_same_events_are_replayed()
    {
        IncidentSnapshot first = FeedAll(Tracker(), "x.xx").Single();
        offset = 0;

        IncidentSnapshot replayed = FeedAll(Tracker(), "x.xx").Single();

        Assert.Equal(first.Id, replayed.Id);
        Assert.Equal(first.Sequence, replayed.Sequence);
    }

    [Fact]
    public void A_recovered_incident_continues_its_sequence_instead_of_opening_again()
    {
        IncidentTracker before = Tracker();
        IncidentSnapshot open = FeedAll(before, "xxx").Single();
        IncidentTracker after = Tracker();
        after.Recover(open);

        List<IncidentSnapshot> messages = FeedAll(after, "xxx....");

        IncidentSnapshot resolved = Assert.Single(messages);
        Assert.Equal((open.Id, IncidentState.Resolved, 2), (resolved.Id, resolved.State, resolved.Sequence));
        Assert.Equal(6, resolved.Anomalies);
    }

    [Fact]
    public void A_recovered_incident_whose_entity_never_returns_resolves_as_idle_where_its_partition_is_read()
    {
        IncidentTracker before = Tracker();
        IncidentSnapshot open = FeedAll(before, "xxx").Single();
        IncidentTracker after = Tracker(o => o.IdleTimeout = TimeSpan.FromMinutes(10));
        after.Recover(open);
        time.Advance(TimeSpan.FromMinutes(11));

        Assert.Empty(after.ExpireIdle(_ => false));
        IncidentSnapshot resolved = Assert.Single(after.ExpireIdle(p => p.Partition == 0));

        Assert.Equal((open.Id, IncidentState.Resolved, 2), (resolved.Id, resolved.State, resolved.Sequence));
    }

    [Fact]
    public void A_muted_entity_and_a_muted_leading_feature_open_nothing_and_are_counted()
    {
        IncidentTracker tracker = Tracker(o => (o.MutedEntities, o.MutedFeatures) = (["h9"], ["disk"]));

        Assert.Empty(FeedAll(tracker, "xxxx", entity: "h9"));
        Assert.Empty(Enumerable.Range(0, 4).Select(_ => Feed(tracker, true, leader: "disk")).OfType<IncidentSnapshot>());

        Assert.Equal(4, suppressed.Count(r => r == "muted_entity"));
        Assert.Equal(4, suppressed.Count(r => r == "muted_feature"));
        Assert.Equal(0, tracker.OpenCount);
    }

    [Theory]
    [InlineData(80.0, 0.0, true)]     // |90 − 20| = 70 ≤ 80
    [InlineData(60.0, 0.0, false)]
    [InlineData(0.0, 4.0, true)]      // 70 ≤ 4 × 20
    [InlineData(0.0, 3.0, false)]
    public void An_anomaly_whose_leading_feature_is_near_its_expected_value_does_not_count(double absolute, double relative, bool near)
    {
        IncidentTracker tracker = Tracker(o => o.NearExpected["cpu"] = new NearExpectedRule { Absolute = absolute, Relative = relative });

        List<IncidentSnapshot> messages = FeedAll(tracker, "xxx");

        Assert.Equal(near ? 0 : 1, messages.Count);
        Assert.Equal(near ? 3 : 0, suppressed.Count(r => r == "near_expected"));
    }

    [Fact]
    public void An_incident_is_held_back_until_it_has_the_minimum_anomalies_and_one_that_ends_short_is_counted()
    {
        IncidentTracker tracker = Tracker(o => o.MinAnomalies = 5);

        Assert.Empty(FeedAll(tracker, "xxx...."));   // opened at 3, resolved at 3 < 5: never published
        Assert.Equal(["min_anomalies"], suppressed);
        IncidentSnapshot open = FeedAll(tracker, "xxxxx").Single();

        Assert.Equal((IncidentState.Open, 5), (open.State, open.Anomalies));
    }

    [Fact]
    public void After_a_resolve_the_cooldown_keeps_the_entity_from_opening_again()
    {
        IncidentTracker tracker = Tracker(o => o.Cooldown = TimeSpan.FromMinutes(1));
        FeedAll(tracker, "xxx....");

        Assert.Empty(FeedAll(tracker, "xxx"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(FeedAll(tracker, "xxx"));
        Assert.Equal(["cooldown"], suppressed);
    }

    [Fact]
    public void Entities_without_an_anomaly_in_their_window_hold_no_state()
    {
        IncidentTracker tracker = Tracker();

        foreach (int host in Enumerable.Range(0, 1000))
        {
            Feed(tracker, false, entity: $"h{host}");
        }

        FeedAll(tracker, "x.....");
        Assert.Equal(0, tracker.OpenCount);
    }
}
