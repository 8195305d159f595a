using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Detection;

public sealed class DriftRetrainRowsTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["a", "b"]);

    // Rows whose first value is their label, so the composed order can be read back.
    private static FeatureTable Rows(float first, int count, string? entity = null) =>
        new(Schema, [.. Enumerable.Range(0, count).SelectMany(i => new[] { first + i, -1f })], entity is null ? null : [.. Enumerable.Repeat(entity, count)]);

    [Fact]
    public void History_comes_first_then_the_recent_rows_repeated_until_they_weigh_about_as_much()
    {
        FeatureTable composed = DriftRetrainRows.Compose(Rows(0, 30), Rows(100, 10));

        Assert.Equal(30 + 3 * 10, composed.Rows);
        Assert.Equal(29f, composed.Row(29)[0]);
        Assert.Equal(100f, composed.Row(30)[0]);
        Assert.Equal(109f, composed.Row(39)[0]);
        Assert.Equal(100f, composed.Row(40)[0]);
        Assert.Equal(109f, composed.Row(59)[0]);
    }

    [Theory]
    [InlineData(1_000, 10, DriftRetrainRows.MaxRepeats)]
    [InlineData(5, 10, 1)]
    [InlineData(0, 10, 1)]
    public void The_recent_rows_are_repeated_at_least_once_and_at_most_MaxRepeats_times(int history, int recent, int repeats)
    {
        FeatureTable composed = DriftRetrainRows.Compose(Rows(0, history), Rows(10_000, recent));

        Assert.Equal(history + repeats * recent, composed.Rows);
    }

    [Fact]
    public void Entity_keys_follow_their_rows()
    {
        FeatureTable composed = DriftRetrainRows.Compose(Rows(0, 20, "old"), Rows(100, 10, "new"));

        Assert.Equal(Enumerable.Repeat("old", 20).Concat(Enumerable.Repeat("new", 20)), composed.EntityKeys!);
    }
}
