using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>A lasting excursion is a run of one entity's consecutive events above the bar, however entities interleave.</summary>
public sealed class LastingExcursionsTests
{
    [Fact]
    public void A_run_of_the_minimum_length_is_marked_and_a_shorter_one_is_not()
    {
        float[] scores = [1, 9, 9, 9, 1, 9, 9, 1, 9];

        bool[] marked = LastingExcursions.Mark(scores, entityKeys: null, bar: 5, minimumRun: 3);

        Assert.Equal([false, true, true, true, false, false, false, false, false], marked);
    }

    [Fact]
    public void Runs_are_per_entity_so_other_entities_events_in_between_neither_break_nor_join_them()
    {
        // a: high, high, high (interleaved with b); b: high, low, high; c: one high event at the end.
        string?[] keys = ["a", "b", "a", "b", "a", "b", "c"];
        float[] scores = [9, 9, 9, 1, 9, 9, 9];

        bool[] marked = LastingExcursions.Mark(scores, keys, bar: 5, minimumRun: 3);

        Assert.Equal([true, false, true, false, true, false, false], marked);
    }

    [Fact]
    public void A_run_still_open_at_the_end_of_the_warm_up_counts()
    {
        string?[] keys = ["a", "b", "a", "a", "a"];
        float[] scores = [1, 9, 9, 9, 9];

        bool[] marked = LastingExcursions.Mark(scores, keys, bar: 5, minimumRun: 3);

        Assert.Equal([false, false, true, true, true], marked);
    }

    [Fact]
    public void A_score_equal_to_the_bar_ends_a_run()
    {
        float[] scores = [9, 9, 5, 9, 9];

        bool[] marked = LastingExcursions.Mark(scores, entityKeys: null, bar: 5, minimumRun: 3);

        Assert.DoesNotContain(true, marked);
    }
}
