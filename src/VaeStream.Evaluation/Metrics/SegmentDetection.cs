namespace VaeStream.Evaluation.Metrics;

/// <summary>How many labelled segments a set of predictions catches, and how late it catches them.</summary>
/// <param name="Segments">The labelled segments: maximal runs of labelled points.</param>
/// <param name="Detected">The segments with at least one predicted point.</param>
/// <param name="Recall">Detected / Segments, NaN when nothing is labelled.</param>
/// <param name="MedianDelay">
/// The median, over detected segments only, of the points from a segment's start to its first predicted point
/// (0 when the first point is flagged); NaN when no segment is detected.
/// </param>
public readonly record struct SegmentDetection(int Segments, int Detected, double Recall, double MedianDelay)
{
    /// <summary>Counts the segments of <paramref name="labels"/> and the delays of <paramref name="predicted"/> on them.</summary>
    /// <param name="predicted">The flagged points.</param>
    /// <param name="labels">The labelled anomalies, as long as <paramref name="predicted"/>.</param>
    public static SegmentDetection Of(ReadOnlySpan<bool> predicted, ReadOnlySpan<bool> labels)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException($"Predictions ({predicted.Length}) and labels ({labels.Length}) differ in length.");
        }

        List<(int Start, int End)> segments = LabelledSegments.Of(labels);
        List<int> delays = [];
        foreach ((int start, int end) in segments)
        {
            int firstHit = predicted[start..(end + 1)].IndexOf(true);
            if (firstHit >= 0)
            {
                delays.Add(firstHit);
            }
        }

        // A missed segment has no delay; averaging it in as 0 or as its length would hide the miss,
        // so it only lowers the recall.
        double recall = segments.Count == 0 ? double.NaN : (double)delays.Count / segments.Count;
        return new SegmentDetection(segments.Count, delays.Count, recall, Median(delays));
    }

    private static double Median(List<int> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }
}
