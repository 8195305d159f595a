using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation.Tests.Metrics;

public sealed class VolumeUnderSurfaceTests
{
    // The expected values come from a line-by-line pure-Python transliteration of TSB-AD's
    // RangeAUC_volume_opt (thre = 250 unless stated), not from the closed form under test.
    private const double Tolerance = 1e-6;

    private const string FortyPointLabels = "0000000000111110000000000000001110000000";

    // The reference's 40-point vector, scaled to integers so that its tied scores stay exactly tied.
    private static readonly float[] FortyPointScores =
    [
        0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 12, 5, 9, 13, 6, 5, 9, 2, 6, 10,
        3, 7, 0, 4, 8, 1, 5, 9, 2, 6, 10, 13, 7, 0, 4, 8, 1, 5, 9, 2,
    ];

    private static bool[] Flags(string pattern) => pattern.Select(c => c == '1').ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Anomalies_ranked_first_score_one_at_every_window(int window)
    {
        float[] scores = [0.1f, 0.2f, 0.3f, 0.6f, 0.9f, 0.8f, 0.7f, 0.05f, 0.4f, 0f];

        Assert.Equal(1.0, VolumeUnderSurface.VusPr(scores, Flags("0000110000"), window), Tolerance);
    }

    [Fact]
    public void Perfect_ranking_with_segments_at_both_ends_and_wide_ramps_scores_one()
    {
        bool[] labels = Enumerable.Range(0, 120).Select(i => i < 5 || (i >= 50 && i < 60) || i >= 115).ToArray();
        float[] scores = Enumerable.Range(0, 120)
            .Select(i => labels[i] ? 2f + (i * 13 % 7 / 10f) : i * 37 % 11 / 10f)
            .ToArray();

        Assert.Equal(1.0, VolumeUnderSurface.VusPr(scores, labels, 16), Tolerance);
    }

    [Theory]
    [InlineData(0, 0.6111111111)]
    [InlineData(2, 0.7041418784)]
    [InlineData(4, 0.7988548518)]
    public void Two_segments_match_the_reference(int window, double expected)
    {
        // At window 0: AP = 1/6·1 + 1/2·2/3 + 1/3·1/3, checked by hand.
        float[] scores = [0.5f, 0.9f, 0.1f, 0.2f, 0.3f, 0.2f, 0.1f, 0.6f, 0.7f, 0.2f, 0.8f, 0f];

        Assert.Equal(expected, VolumeUnderSurface.VusPr(scores, Flags("010000001100"), window), Tolerance);
    }

    [Fact]
    public void Segment_at_index_zero_with_tied_scores_matches_the_reference()
    {
        float[] scores = [0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.2f, 0.3f, 0.9f];

        Assert.Equal(0.5589255651, VolumeUnderSurface.VusPr(scores, Flags("11000000"), 2), Tolerance);
    }

    [Theory]
    [InlineData(6, 0.7901168426)]
    [InlineData(9, 0.8490788405)]
    public void Overlapping_ramps_clip_at_one_as_the_reference_does(int window, double expected)
    {
        // Segments 2..3 and 7..8 are three points apart, so from window 6 their ramps overlap on 4..6.
        float[] scores = [0f, 0.5f, 1f, 0.25f, 0.75f, 0f, 0.5f, 1f, 0.25f, 0.75f, 0f, 0.5f, 1f, 0.25f, 0.75f, 0f];

        Assert.Equal(expected, VolumeUnderSurface.VusPr(scores, Flags("0011000110000100"), window), Tolerance);
    }

    [Theory]
    [InlineData(0, 250, 0.645776515152)]
    [InlineData(4, 250, 0.670911111683)]
    [InlineData(4, 10, 0.631609551420)]
    [InlineData(10, 250, 0.749672107512)]
    public void Forty_point_vector_matches_the_reference(int window, int thresholds, double expected)
    {
        double vus = VolumeUnderSurface.VusPr(FortyPointScores, Flags(FortyPointLabels), window, thresholds);

        Assert.Equal(expected, vus, Tolerance);
    }

    [Fact]
    public void Windows_zero_and_one_agree_because_neither_has_a_ramp()
    {
        bool[] labels = Flags(FortyPointLabels);

        double zero = VolumeUnderSurface.VusPr(FortyPointScores, labels, 0);

        Assert.Equal(zero, VolumeUnderSurface.VusPr(FortyPointScores, labels, 1));
        Assert.NotEqual(zero, VolumeUnderSurface.VusPr(FortyPointScores, labels, 2));
    }

    [Fact]
    public void No_labelled_point_gives_nan()
    {
        Assert.True(double.IsNaN(VolumeUnderSurface.VusPr([0.3f, 0.1f, 0.2f], Flags("000"), 4)));
    }

    [Fact]
    public void Nan_scores_and_mismatched_lengths_are_refused()
    {
        float[] withNan = [0.1f, 0.2f, float.NaN, 0.4f];
        bool[] labels = Flags("0100");
        float[] shorter = [0.1f, 0.2f];

        ArgumentException nan = Assert.Throws<ArgumentException>(() => VolumeUnderSurface.VusPr(withNan, labels, 2));
        Assert.Contains("index 2", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => VolumeUnderSurface.VusPr(shorter, labels, 2));
    }
}
