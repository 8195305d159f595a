using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// A record is late when its interval has closed, or would have (its entity's events are past the interval's end plus
/// the allowed lateness, 2 s here): <c>Add</c> returns null and counts it. Within the lateness it still joins.
/// </summary>
public sealed class LateRecordTests
{
    private static IntervalFeed Feed() => new(Schema("""{"name":"v","aggregate":"Sum","path":"v"}"""));

    [Fact]
    public void A_record_for_a_closed_interval_is_refused_and_counted()
    {
        IntervalFeed feed = Feed();
        feed.Add(Event("a", 1, "\"v\":1"));
        feed.Add(Event("a", 12, "\"v\":10"));
        ClosedInterval<int> closed = Assert.Single(feed.TakeClosed());

        OpenInterval<int>? joined = feed.AddOne(Event("a", 5, "\"v\":100"));

        Assert.Null(joined);
        Assert.Equal(1, feed.Intervals.LateRecords);
        // Nothing re-opens [0, 10), and the row already taken kept its value.
        Assert.Empty(feed.TakeClosed());
        Assert.Equal(1, Assert.Single(closed.Values));
    }

    [Fact]
    public void A_record_past_end_plus_lateness_of_the_watermark_is_late_though_its_interval_never_opened()
    {
        IntervalFeed feed = Feed();
        feed.Add(Event("a", 25, "\"v\":1"));

        // [0, 10) + 2 s and [10, 20) + 2 s are both behind a's watermark of 25 s.
        Assert.Null(feed.AddOne(Event("a", 5, "\"v\":2")));
        Assert.Null(feed.AddOne(Event("a", 13, "\"v\":3")));

        Assert.Equal(2, feed.Intervals.LateRecords);
        Assert.Equal(1, feed.Intervals.OpenIntervals);
    }

    [Fact]
    public void A_record_within_the_lateness_joins_its_still_open_interval()
    {
        IntervalFeed feed = Feed();
        feed.Add(Event("a", 1, "\"v\":1"));
        feed.Add(Event("a", 11, "\"v\":10"));

        // 9 s arrives after 11 s, but 11 s < 10 s + 2 s, so [0, 10) is open.
        OpenInterval<int>? joined = feed.AddOne(Event("a", 9, "\"v\":100"));

        Assert.NotNull(joined);
        Assert.Equal(Base.UtcTicks, joined.StartTicks);
        Assert.Equal(0, feed.Intervals.LateRecords);

        feed.Add(Event("a", 12, "\"v\":1000"));
        ClosedInterval<int> closed = Assert.Single(feed.TakeClosed());
        Assert.Equal(2, closed.Records);
        Assert.Equal(101, Assert.Single(closed.Values));
    }
}
