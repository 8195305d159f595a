using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// <c>CloseIdle(now)</c> closes an entity's open intervals once it has been quiet for the idle timeout in processing
/// time (30 s here), whatever the event times. It sweeps at most four times per timeout (every 7.5 s here), so each
/// test either uses a fresh aggregator or spaces its calls at least 7.5 s apart.
/// </summary>
public sealed class IdleTimeoutCloseTests
{
    // Processing time, unrelated to the events' own times.
    private static readonly DateTimeOffset Seen = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IntervalFeed FeedWithOneEvent()
    {
        var feed = new IntervalFeed(Schema("""{"name":"n","aggregate":"Count"}""",
            """{"interval":"10s","allowedLateness":"2s","idleTimeout":"30s"}"""));
        feed.Add(Event("a", 1), now: Seen);
        return feed;
    }

    [Fact]
    public void An_entity_quiet_for_just_under_the_timeout_stays_open()
    {
        IntervalFeed feed = FeedWithOneEvent();

        // A fresh aggregator's first call sweeps.
        feed.Intervals.CloseIdle(Seen.AddSeconds(30).AddTicks(-1));

        Assert.Empty(feed.TakeClosed());
        Assert.Equal(1, feed.Intervals.OpenIntervals);
    }

    [Fact]
    public void An_entity_quiet_for_exactly_the_timeout_is_closed()
    {
        IntervalFeed feed = FeedWithOneEvent();

        feed.Intervals.CloseIdle(Seen.AddSeconds(30));

        ClosedInterval<int> closed = Assert.Single(feed.TakeClosed());
        Assert.Equal("a", closed.Entity);
        Assert.Equal(0, feed.Intervals.OpenIntervals);
    }

    [Fact]
    public void A_later_sweep_closes_what_an_earlier_one_left_open()
    {
        IntervalFeed feed = FeedWithOneEvent();

        feed.Intervals.CloseIdle(Seen.AddSeconds(20));
        Assert.Empty(feed.TakeClosed());

        // 10 s after the previous sweep, past the 7.5 s between sweeps, and 30 s after the entity was seen.
        feed.Intervals.CloseIdle(Seen.AddSeconds(30));
        Assert.Single(feed.TakeClosed());
    }

    [Fact]
    public void Sweeps_closer_together_than_a_quarter_of_the_timeout_are_skipped()
    {
        // Documents the throttle the brief warns of: at 31 s the entity is idle, but the sweep at 29 s was 2 s ago.
        IntervalFeed feed = FeedWithOneEvent();

        feed.Intervals.CloseIdle(Seen.AddSeconds(29));
        feed.Intervals.CloseIdle(Seen.AddSeconds(31));
        Assert.Empty(feed.TakeClosed());

        feed.Intervals.CloseIdle(Seen.AddSeconds(36.5));
        Assert.Single(feed.TakeClosed());
    }

    [Fact]
    public void An_event_resets_the_entitys_quiet_time()
    {
        IntervalFeed feed = FeedWithOneEvent();
        feed.Add(Event("a", 2), now: Seen.AddSeconds(20));

        // 30 s after the first event, but only 10 s after the second.
        feed.Intervals.CloseIdle(Seen.AddSeconds(30));

        Assert.Empty(feed.TakeClosed());
        Assert.Equal(1, feed.Intervals.OpenIntervals);
    }
}
