using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// With interval 10 s and allowed lateness 2 s, the interval [0, 10) closes when its entity's latest event time reaches
/// 12 s: each entity has its own watermark.
/// </summary>
public sealed class WatermarkCloseTests
{
    private static IntervalFeed Feed() => new(Schema("""{"name":"v","aggregate":"Sum","path":"v"}"""));

    [Fact]
    public void The_interval_stays_open_until_its_entitys_events_reach_end_plus_lateness()
    {
        IntervalFeed feed = Feed();
        feed.Add(Event("a", 1, "\"v\":1"));

        // 11.9 s is in the next interval but within the 2 s of lateness of [0, 10).
        feed.Add(Event("a", 11.9, "\"v\":10"));
        Assert.Empty(feed.TakeClosed());
        Assert.Equal(2, feed.Intervals.OpenIntervals);

        feed.Add(Event("a", 12.0, "\"v\":100"));
        ClosedInterval<int> closed = Assert.Single(feed.TakeClosed());

        Assert.Equal("a", closed.Entity);
        Assert.Equal(Base, closed.Start);
        Assert.Equal(Base.AddSeconds(10), closed.End);
        // Only the record at 1 s: the later two belong to [10, 20), still open.
        Assert.Equal(1, closed.Records);
        Assert.Equal(1, Assert.Single(closed.Values));
        Assert.Equal(1, feed.Intervals.OpenIntervals);
    }

    [Fact]
    public void Another_entitys_later_events_do_not_close_it()
    {
        IntervalFeed feed = Feed();
        feed.Add(Event("a", 1, "\"v\":1"));
        feed.Add(Event("b", 1, "\"v\":2"));

        // b is 30 s ahead, far past a's [0, 10) + 2 s; a's own clock has not moved. b's own [0, 10) closes.
        feed.Add(Event("b", 30, "\"v\":3"));
        Assert.Equal("b", Assert.Single(feed.TakeClosed()).Entity);

        feed.Add(Event("a", 12, "\"v\":4"));
        ClosedInterval<int> closed = Assert.Single(feed.TakeClosed());
        Assert.Equal("a", closed.Entity);
        Assert.Equal(Base, closed.Start);
    }
}
