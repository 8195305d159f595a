using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation.Tests.Metrics;

public sealed class IncidentDetectionTests
{
    [Fact]
    public void Precision_counts_incidents_that_overlap_a_segment_and_recall_counts_segments_an_incident_overlaps()
    {
        IncidentSpan[] incidents = [new(10, 12, 20), new(50, 50, 55), new(100, 103, 110)];
        (long, long)[] segments = [(8, 15), (60, 70), (105, 120)];

        IncidentDetection d = IncidentDetection.Of(incidents, segments);

        Assert.Equal(3, d.Incidents);
        Assert.Equal(2.0 / 3, d.Precision, 6);       // the one at 50..55 overlaps nothing
        Assert.Equal(2.0 / 3, d.SegmentRecall, 6);   // 60..70 has no incident
        Assert.Equal(2, d.MedianTimeToDetect);       // opened 4 after 8, and before 105 (0): median of 0 and 4
    }

    [Fact]
    public void No_incidents_give_no_precision_and_no_recall()
    {
        IncidentDetection d = IncidentDetection.Of([], [(1L, 2L)]);

        Assert.True(double.IsNaN(d.Precision));
        Assert.Equal(0, d.SegmentRecall);
    }
}
