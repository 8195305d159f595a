using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation.Tests.Metrics;

public sealed class SegmentDetectionTests
{
    private static bool[] Flags(string pattern) => pattern.Select(c => c == '1').ToArray();

    [Fact]
    public void Counts_segments_and_takes_the_median_delay_of_the_detected_ones()
    {
        // Segment 1..3 is flagged at its start (delay 0), segment 6..9 two points in (delay 2),
        // segment 12..13 is missed; the false alarm at 15 is outside every segment.
        SegmentDetection result = SegmentDetection.Of(Flags("0100000011000001"), Flags("0111001111001100"));

        Assert.Equal(3, result.Segments);
        Assert.Equal(2, result.Detected);
        Assert.Equal(2 / 3.0, result.Recall, 9);
        Assert.Equal(1.0, result.MedianDelay, 9);
    }

    [Fact]
    public void Odd_count_takes_the_middle_delay()
    {
        // Delays 3, 0 and 1: the median is 1, not the mean 4/3.
        SegmentDetection result = SegmentDetection.Of(Flags("0001010000001000"), Flags("1111011110011111"));

        Assert.Equal(3, result.Detected);
        Assert.Equal(1.0, result.Recall, 9);
        Assert.Equal(1.0, result.MedianDelay, 9);
    }

    [Fact]
    public void Missed_segments_give_zero_recall_and_no_delay()
    {
        SegmentDetection result = SegmentDetection.Of(Flags("1000"), Flags("0110"));

        Assert.Equal(1, result.Segments);
        Assert.Equal(0, result.Detected);
        Assert.Equal(0.0, result.Recall, 9);
        Assert.True(double.IsNaN(result.MedianDelay));
    }

    [Fact]
    public void No_segments_give_nan_and_mismatched_lengths_are_refused()
    {
        SegmentDetection result = SegmentDetection.Of(Flags("0110"), Flags("0000"));

        Assert.Equal(0, result.Segments);
        Assert.True(double.IsNaN(result.Recall));
        Assert.True(double.IsNaN(result.MedianDelay));
        Assert.Throws<ArgumentException>(() => SegmentDetection.Of(Flags("01"), Flags("011")));
    }
}
