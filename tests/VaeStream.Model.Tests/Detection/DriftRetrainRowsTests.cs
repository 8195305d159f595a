using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Detection;

public sealed class DriftRetrainRowsTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["a", "b"]);

    // Rows whose first value is their label, so the composed order can be read back.
    private static FeatureTable Rows(float first, int count, string? entity = null) =>
        new(Schema, [.. Enumerable.Range(0, count).SelectMany(i => new[] { first + i, -1f })], entity is null ? null : [.. Enumerable.Repeat(entity, count)]);

    private static float[] Labels(FeatureTable table) => [.. Enumerable.Range(0, table.Rows).Select(r => table.Row(r)[0])];

    [Fact]
    public void The_older_recent_rows_come_first_repeated_until_they_weigh_about_as_much_as_the_history_then_the_history_then_the_newest_once()
    {
        DriftRetrainWindow window = DriftRetrainRows.Compose(Rows(0, 30), Rows(100, 10));

        float[] older = [100, 101, 102, 103, 104];
        float[] expected = [.. older, .. older, .. older, .. older, .. older, .. older, .. Enumerable.Range(0, 30).Select(i => (float)i), 105, 106, 107, 108, 109];
        Assert.Equal(expected, Labels(window.Rows));
        Assert.Equal(5, window.NewestRows);
    }

    [Theory]
    [InlineData(10_000, 2_000)]
    [InlineData(50_000, 2_000)]
    [InlineData(1_000, 2_000)]
    [InlineData(0, 2_000)]
    [InlineData(300, 7)]
    [InlineData(0, 1)]
    public void The_trainer_s_held_out_tail_holds_no_row_it_trains_on_and_ends_with_the_newest_rows(int history, int recent)
    {
        DriftRetrainWindow window = DriftRetrainRows.Compose(Rows(0, history), Rows(1_000_000, recent));

        float[] labels = Labels(window.Rows);
        int heldOut = new TrainingOptions().ValidationRows(window.Rows.Rows);
        var trainedOn = labels[..^heldOut].ToHashSet();
        Assert.DoesNotContain(labels[^heldOut..], trainedOn.Contains);
        if (history >= recent)
        {
            // With a history as long as the recent rows (the worker's normal window and the replay's are), every newest
            // row is held out: a drift candidate is validated on rows it never fitted.
            Assert.True(window.NewestRows <= heldOut, $"{window.NewestRows} newest rows, {heldOut} held out");
        }

        Assert.Equal(Enumerable.Range(recent - window.NewestRows, window.NewestRows).Select(i => 1_000_000f + i), labels[^window.NewestRows..]);
        // The new level still weighs about as much as the history, up to the cap.
        int recentRows = labels.Count(l => l >= 1_000_000);
        Assert.InRange(recentRows, Math.Min(history, recent / 2 * DriftRetrainRows.MaxRepeats) / 2, Math.Max(recent, history + recent));
    }

    [Fact]
    public void Entity_keys_follow_their_rows()
    {
        DriftRetrainWindow window = DriftRetrainRows.Compose(Rows(0, 20, "old"), Rows(100, 10, "new"));

        string?[] keys = window.Rows.EntityKeys!;
        Assert.Equal(Labels(window.Rows).Select(l => l >= 100 ? "new" : "old"), keys);
    }

    [Fact]
    public void No_recent_row_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DriftRetrainRows.Compose(Rows(0, 20), Rows(100, 0)));
        Assert.Equal("recent", e.ParamName);
    }
}
