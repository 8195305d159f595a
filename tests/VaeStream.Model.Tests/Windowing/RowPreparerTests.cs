using VaeStream.Model.Features;
using VaeStream.Model.Scaling;
using VaeStream.Model.Windowing;

namespace VaeStream.Model.Tests.Windowing;

public sealed class RowPreparerTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.Parse("""
        {"window":3,"features":[{"name":"a","path":"a","missing":"ImputeMean"},{"name":"b","path":"b","missing":"CarryForward"}]}
        """);

    // Identity scaling keeps the arithmetic of the assertions readable.
    private static readonly FeatureScaler Identity = new() { Kind = ScalerKind.Standard, Center = [0, 0], Scale = [1, 1], Clip = 1e6f };

    private static float[] Prepare(RowPreparer preparer, string entity, float a, float b)
    {
        float[] row = [a, b];
        float[] input = new float[Schema.InputWidth];
        preparer.Prepare(entity, row, input);
        return input;
    }

    [Fact]
    public void Window_holds_the_entity_history_oldest_first_padding_with_the_oldest_row()
    {
        var preparer = new RowPreparer(Schema, Identity, [0, 0]);

        float[] first = Prepare(preparer, "h1", 1, 10);
        float[] second = Prepare(preparer, "h1", 2, 20);
        float[] other = Prepare(preparer, "h2", 9, 90);
        float[] third = Prepare(preparer, "h1", 3, 30);
        float[] fourth = Prepare(preparer, "h1", 4, 40);

        Assert.Equal([1, 10, 1, 10, 1, 10], first);
        Assert.Equal([1, 10, 1, 10, 2, 20], second);
        Assert.Equal([9, 90, 9, 90, 9, 90], other);
        Assert.Equal([1, 10, 2, 20, 3, 30], third);
        Assert.Equal([2, 20, 3, 30, 4, 40], fourth);
    }

    [Fact]
    public void Missing_values_take_the_training_mean_or_the_entity_last_value()
    {
        var preparer = new RowPreparer(Schema, Identity, [5, 50]);

        float[] before = Prepare(preparer, "h1", float.NaN, float.NaN);
        Prepare(preparer, "h1", 1, 7);
        float[] after = Prepare(preparer, "h1", float.NaN, float.NaN);

        Assert.Equal([5, 50], before[^2..]);
        Assert.Equal([5, 7], after[^2..]);
    }

    [Fact]
    public void The_least_recently_seen_entity_is_evicted_and_counted()
    {
        var preparer = new RowPreparer(Schema, Identity, [0, 0], maxEntities: 2);

        Prepare(preparer, "h1", 1, 1);
        Prepare(preparer, "h2", 2, 2);
        Prepare(preparer, "h1", 1, 1);
        Prepare(preparer, "h3", 3, 3);
        float[] h2Again = Prepare(preparer, "h2", 5, 5);

        Assert.Equal(2, preparer.Evictions);
        Assert.Equal(2, preparer.TrackedEntities);
        Assert.Equal([5, 5, 5, 5, 5, 5], h2Again);
    }

    private static void AssertSmoothed(float score, float[] contributions, (float Score, float[] Contributions) actual)
    {
        Assert.Equal(score, actual.Score);
        Assert.Equal(contributions, actual.Contributions);
    }

    private static (float Score, float[] Contributions) Smooth(RowPreparer preparer, string entity, float score, float[] contributions)
    {
        preparer.Smooth(entity, ref score, contributions);
        return (score, contributions);
    }

    [Fact]
    public void Smoothing_averages_each_entity_own_last_scores_and_contributions_which_still_sum_to_the_score()
    {
        var preparer = new RowPreparer(Schema, Identity, [0, 0], smoothing: 3);

        var first = Smooth(preparer, "h1", 3, [1, 2]);
        var second = Smooth(preparer, "h1", 6, [2, 4]);
        var other = Smooth(preparer, "h2", 90, [30, 60]);
        var third = Smooth(preparer, "h1", 9, [3, 6]);
        var fourth = Smooth(preparer, "h1", 30, [10, 20]);

        AssertSmoothed(3f, [1, 2], first);
        AssertSmoothed(4.5f, [1.5f, 3], second);
        AssertSmoothed(90f, [30, 60], other);
        AssertSmoothed(6f, [2, 4], third);
        // The window is the last three rows of h1: 6, 9 and 30.
        AssertSmoothed(15f, [5, 10], fourth);
    }

    [Fact]
    public void A_rebind_starts_every_ring_afresh_and_smoothing_of_one_leaves_scores_alone()
    {
        var preparer = new RowPreparer(Schema, Identity, [0, 0], smoothing: 2);
        Smooth(preparer, "h1", 100, [50, 50]);

        preparer.Rebind(Identity, [0, 0], newSmoothing: 2);
        var afterRebind = Smooth(preparer, "h1", 4, [1, 3]);
        preparer.Rebind(Identity, [0, 0], newSmoothing: 1);
        var unsmoothed = Smooth(preparer, "h1", 8, [5, 3]);

        AssertSmoothed(4f, [1, 3], afterRebind);
        AssertSmoothed(8f, [5, 3], unsmoothed);
    }
}
