using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Past <c>maxEntities</c>, a new entity closes the least recently seen entity's intervals early, so that memory stays
/// bounded and no event is left without a row.
/// </summary>
public sealed class EntityEvictionTests
{
    [Fact]
    public void A_third_entity_closes_the_least_recently_seen_ones_intervals()
    {
        var feed = new IntervalFeed(Schema("""{"name":"v","aggregate":"Sum","path":"v"}"""), maxEntities: 2);
        feed.Add(Event("a", 1, "\"v\":1"));
        feed.Add(Event("b", 1, "\"v\":2"));
        // a is seen again, so b is now the least recently seen, though a came first.
        feed.Add(Event("a", 2, "\"v\":4"));

        feed.Add(Event("c", 1, "\"v\":8"));

        ClosedInterval<int> evicted = Assert.Single(feed.TakeClosed());
        Assert.Equal("b", evicted.Entity);
        Assert.Equal(2, Assert.Single(evicted.Values));
        Assert.Equal(1, feed.Intervals.Evictions);
        Assert.Equal(2, feed.Intervals.Entities);
        Assert.Equal(2, feed.Intervals.OpenIntervals);
    }
}
