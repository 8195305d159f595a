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
}
