namespace VaeStream.Evaluation.Metrics;

/// <summary>One incident on a time axis (rows, minutes): when it started, when it was opened (published), when it ended.</summary>
public readonly record struct IncidentSpan(long Start, long Opened, long End);

/// <summary>
/// How incidents compare with labelled segments: how many of them overlap a segment (incident precision), how many
/// segments an incident overlaps (segment recall), and how long after a segment's start its first incident opened.
/// </summary>
/// <param name="Incidents">Incidents counted.</param>
/// <param name="Precision">Incidents overlapping a labelled segment ÷ incidents (NaN when there are none).</param>
/// <param name="SegmentRecall">Segments overlapped by an incident ÷ segments (NaN when nothing is labelled).</param>
/// <param name="MedianTimeToDetect">Median over detected segments of the first overlapping incident's opening minus the segment's start (0 if open before it).</param>
public readonly record struct IncidentDetection(int Incidents, double Precision, double SegmentRecall, double MedianTimeToDetect)
{
    /// <summary>Scores <paramref name="incidents"/> against <paramref name="segments"/> (inclusive bounds, same axis).</summary>
    public static IncidentDetection Of(IReadOnlyList<IncidentSpan> incidents, IReadOnlyList<(long Start, long End)> segments)
    {
        int overlapping = incidents.Count(i => segments.Any(s => i.Start <= s.End && i.End >= s.Start));
        var delays = new List<long>();
        foreach ((long start, long end) in segments)
        {
            IncidentSpan[] hits = incidents.Where(i => i.Start <= end && i.End >= start).ToArray();
            if (hits.Length > 0)
            {
                delays.Add(Math.Max(0, hits.Min(h => h.Opened) - start));
            }
        }

        delays.Sort();
        double median = delays.Count == 0 ? double.NaN
            : delays.Count % 2 == 1 ? delays[delays.Count / 2] : (delays[delays.Count / 2 - 1] + delays[delays.Count / 2]) / 2.0;
        return new IncidentDetection(incidents.Count, incidents.Count == 0 ? double.NaN : (double)overlapping / incidents.Count,
            segments.Count == 0 ? double.NaN : (double)delays.Count / segments.Count, median);
    }
}
