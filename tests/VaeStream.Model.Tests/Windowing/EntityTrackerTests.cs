using VaeStream.Model.Windowing;

namespace VaeStream.Model.Tests.Windowing;

public sealed class EntityTrackerTests
{
    [Fact]
    public void Beyond_the_bound_the_least_recently_seen_entity_is_forgotten_and_a_look_that_does_not_see_it_leaves_it_last()
    {
        var tracker = new EntityTracker<List<int>>(maxEntities: 2, () => []);
        tracker.Get("a").Add(1);
        tracker.Get("b").Add(2);

        // A look is not a sighting: "a" stays the least recently seen, so "c" evicts it.
        Assert.True(tracker.TryGet("a", out List<int>? a));
        Assert.Equal([1], a);
        tracker.Get("c");

        Assert.False(tracker.TryGet("a", out _));
        Assert.True(tracker.TryGet("b", out List<int>? b));
        Assert.Equal([2], b);
        Assert.Equal(1, tracker.Evictions);
        Assert.False(tracker.TryGet("d", out _));
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void Clear_forgets_every_entity_without_counting_evictions()
    {
        var tracker = new EntityTracker<List<int>>(maxEntities: 4, () => []);
        tracker.Get("a").Add(1);
        tracker.Get("b");

        tracker.Clear();

        Assert.Equal(0, tracker.Count);
        Assert.Equal(0, tracker.Evictions);
        Assert.Empty(tracker.Get("a"));
    }
}
