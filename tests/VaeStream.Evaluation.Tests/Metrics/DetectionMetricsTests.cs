using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation.Tests.Metrics;

public sealed class DetectionMetricsTests
{
    private static bool[] Flags(string pattern) => pattern.Select(c => c == '1').ToArray();

    [Fact]
    public void Point_wise_counts_each_row()
    {
        PrecisionRecall result = DetectionMetrics.PointWise(Flags("0110010"), Flags("0111000"));

        Assert.Equal(2 / 3.0, result.Precision, 9);
        Assert.Equal(2 / 3.0, result.Recall, 9);
        Assert.Equal(2 / 3.0, result.F1, 9);
    }

    [Fact]
    public void Point_adjustment_credits_a_whole_segment_for_one_hit()
    {
        // Segment 1..4 is hit once; segment 7..8 is missed; row 10 is a false alarm.
        PrecisionRecall result = DetectionMetrics.PointAdjusted(Flags("00100000001"), Flags("01111001100"));

        Assert.Equal(4 / 5.0, result.Precision, 9);
        Assert.Equal(4 / 6.0, result.Recall, 9);
    }

    [Fact]
    public void Average_precision_matches_the_step_wise_definition()
    {
        // Ranked: 0.9 (+), 0.8 (−), 0.7 (+), 0.1 (−): AP = 0.5·1 + 0.5·(2/3).
        double ap = DetectionMetrics.AveragePrecision([0.1f, 0.9f, 0.7f, 0.8f], Flags("0110"));

        Assert.Equal(0.5 + 0.5 * 2 / 3.0, ap, 9);
    }

    [Fact]
    public void Average_precision_treats_tied_scores_as_one_threshold()
    {
        double ap = DetectionMetrics.AveragePrecision([1f, 1f, 1f, 1f], Flags("1000"));

        Assert.Equal(0.25, ap, 9);
    }

    [Fact]
    public void Perfect_ranking_gives_one_and_mismatched_lengths_are_refused()
    {
        Assert.Equal(1.0, DetectionMetrics.AveragePrecision([0.1f, 5f, 4f], Flags("011")), 9);
        Assert.Throws<ArgumentException>(() => DetectionMetrics.PointWise(Flags("01"), Flags("011")));
    }
}
