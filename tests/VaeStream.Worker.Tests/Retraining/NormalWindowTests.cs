using VaeStream.Model.Features;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>The retraining window keeps scored events up to its factor × the threshold, flagged ones included.</summary>
public sealed class NormalWindowTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["cpu"]);

    [Fact]
    public void Events_just_above_the_threshold_join_and_those_far_above_it_do_not()
    {
        var window = new NormalWindow(Schema, capacity: 10, admitFactor: 2.0);
        window.Offer([1f], "a", score: 5, threshold: 10);
        window.Offer([2f], "a", score: 15, threshold: 10);
        window.Offer([3f], "b", score: 25, threshold: 10);
        window.Offer([4f], "b", score: 20, threshold: 10);

        FeatureTable rows = window.Snapshot();
        Assert.Equal([1f, 2f, 4f], rows.Values);
    }

    [Fact]
    public void A_factor_of_one_keeps_the_unflagged_events_only()
    {
        var window = new NormalWindow(Schema, capacity: 10, admitFactor: 1.0);
        window.Offer([1f], null, score: 10, threshold: 10);
        window.Offer([2f], null, score: 10.5, threshold: 10);

        Assert.Equal([1f], window.Snapshot().Values);
    }

    [Fact]
    public void A_scored_snapshot_keeps_each_row_s_score_relative_to_its_own_threshold_oldest_first()
    {
        var window = new NormalWindow(Schema, capacity: 3, admitFactor: 2.0);
        window.Offer([1f], "a", score: 5, threshold: 10);
        window.Offer([2f], "a", score: 30, threshold: 20);
        window.Offer([3f], "b", score: 50, threshold: 10);
        window.Offer([4f], "b", score: 4, threshold: 40);
        window.Offer([5f], "a", score: 18, threshold: 10);

        ScoredRows snapshot = window.SnapshotScored();

        Assert.Equal([2f, 4f, 5f], snapshot.Rows.Values);
        Assert.Equal([1.5f, 0.1f, 1.8f], snapshot.RelativeScores);
    }
}
