using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary><c>last</c> is the value with the latest event time, not the last one read; on a tie, the last read.</summary>
public sealed class LastAggregateTests
{
    private static readonly string Features = """{"name":"last","aggregate":"Last","path":"v"}""";

    [Fact]
    public void The_latest_event_time_wins_over_the_read_order()
    {
        // Read order 30, 50, 40 with event times 3 s, 5 s, 4 s: the last read (40) and the first (30) are both wrong.
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 3, "\"v\":30"));
        feed.Add(Event("h", 5, "\"v\":50"));
        feed.Add(Event("h", 4, "\"v\":40"));

        Assert.Equal(50, Assert.Single(feed.CloseSingle().Values));
    }

    [Fact]
    public void Of_two_values_at_the_same_time_the_last_read_wins()
    {
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 5, "\"v\":50"));
        feed.Add(Event("h", 5, "\"v\":55"));
        feed.Add(Event("h", 2, "\"v\":20"));

        Assert.Equal(55, Assert.Single(feed.CloseSingle().Values));
    }
}
