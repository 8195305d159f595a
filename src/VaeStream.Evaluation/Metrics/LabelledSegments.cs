namespace VaeStream.Evaluation.Metrics;

/// <summary>The labelled anomaly segments of a series: maximal runs of true labels.</summary>
public static class LabelledSegments
{
    /// <summary>Each segment's first and last index (both included), in order.</summary>
    public static List<(int Start, int End)> Of(ReadOnlySpan<bool> labels)
    {
        List<(int Start, int End)> segments = [];
        int i = 0;
        while (i < labels.Length)
        {
            if (!labels[i])
            {
                i++;
                continue;
            }

            int start = i;
            while (i < labels.Length && labels[i])
            {
                i++;
            }

            segments.Add((start, i - 1));
        }

        return segments;
    }
}
