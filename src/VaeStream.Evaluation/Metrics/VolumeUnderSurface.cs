namespace VaeStream.Evaluation.Metrics;

/// <summary>
/// VUS-PR, the volume under the range-aware precision-recall surface, as TSB-AD's
/// <c>RangeAUC_volume_opt</c> (version "opt", TheDatumOrg/TSB-AD <c>basic_metrics.py</c>) computes it.
/// TSB-AD's benchmark takes the window from <see cref="PeriodWindow.Of"/>.
/// </summary>
internal static class VolumeUnderSurface
{
    /// <summary>
    /// The mean, over windows 0..<paramref name="window"/>, of the range-aware average precision:
    /// labels get square-root ramps of half-width w/2 around each labelled segment, and precision and
    /// the existence-weighted recall are taken at <paramref name="thresholds"/> order statistics of the scores.
    /// Only the order of the scores matters. Windows 0 and 1 give the same value.
    /// </summary>
    /// <param name="scores">One score per point, higher meaning more anomalous; NaN is refused.</param>
    /// <param name="labels">The labelled anomalies, as long as <paramref name="scores"/>.</param>
    /// <param name="window">The largest window (TSB-AD's <c>slidingWindow</c>), at least 0.</param>
    /// <param name="thresholds">How many thresholds per window (TSB-AD's <c>thre</c>), at least 1.</param>
    /// <returns>VUS-PR (1 for a perfect ranking), or NaN when no point is labelled (the reference throws there).</returns>
    public static double VusPr(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int window, int thresholds = 250)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"Scores ({scores.Length}) and labels ({labels.Length}) differ in length.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds, 1);
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"The score at index {i} is NaN; VUS-PR needs every point scored.", nameof(scores));
            }
        }

        List<(int Start, int End)> segments = LabelledSegments.Of(labels);
        if (segments.Count == 0)
        {
            return double.NaN;
        }

        int n = scores.Length;
        int[] order = Enumerable.Range(0, n).ToArray();
        float[] keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(keys);
        Array.Reverse(order);
        int[] rank = new int[n];
        for (int r = 0; r < n; r++)
        {
            rank[order[r]] = r;
        }

        // The reference predicts score >= threshold, so a whole tie group enters at once: a threshold
        // predicts the sorted prefix up to the end of its tie group, whatever the order inside the group.
        int[] predicted = PredictedCounts(keys, thresholds);
        int[] anomaliesInPrefix = new int[n];
        int anomalies = 0;
        for (int r = 0; r < n; r++)
        {
            anomalies += labels[order[r]] ? 1 : 0;
            anomaliesInPrefix[r] = anomalies;
        }

        RampWeights ramps = new(segments, n);
        double[] rampByRank = new double[n];
        double[] rampInPrefix = new double[n];
        int[] firstHits = new int[n];
        int[] hitsInPrefix = new int[n];
        double total = 0;
        for (int w = 0; w <= window; w++)
        {
            int half = w / 2;
            List<(int Start, int End)> extended = Merge(segments, half, n);
            Array.Clear(rampByRank);
            Array.Clear(firstHits);
            foreach ((int start, int end) in extended)
            {
                // A merged segment counts as found from the first rank that predicts any of its points.
                int first = n;
                for (int t = start; t <= end; t++)
                {
                    first = Math.Min(first, rank[t]);
                    if (half > 0 && !labels[t])
                    {
                        rampByRank[rank[t]] = ramps.At(t, half, w);
                    }
                }

                firstHits[first]++;
            }

            double rampSum = 0;
            int hits = 0;
            for (int r = 0; r < n; r++)
            {
                rampSum += rampByRank[r];
                rampInPrefix[r] = rampSum;
                hits += firstHits[r];
                hitsInPrefix[r] = hits;
            }

            total += AveragePrecision(predicted, anomaliesInPrefix, rampInPrefix, hitsInPrefix, anomalies, extended.Count);
        }

        return total / (window + 1);
    }

    private static double AveragePrecision(
        int[] predicted, int[] anomaliesInPrefix, double[] rampInPrefix, int[] hitsInPrefix, int anomalies, int extendedCount)
    {
        // Closed form of the reference's per-threshold sums: a predicted ramp point adds its weight r to TP
        // but only r/2 to the positives, so recall can pass 1 (hence the min) and the TPR is not monotone.
        // The reference sums the signed steps as they come, with no (1, 1) point, and so does this.
        double ap = 0, previousTpr = 0;
        foreach (int count in predicted)
        {
            int last = count - 1;
            double ramp = rampInPrefix[last];
            double tp = anomaliesInPrefix[last] + ramp;
            double positives = anomalies + (ramp / 2);
            double recall = Math.Min(tp / positives, 1.0);
            double tpr = recall * hitsInPrefix[last] / extendedCount;
            ap += (tpr - previousTpr) * (tp / count);
            previousTpr = tpr;
        }

        return ap;
    }

    private static int[] PredictedCounts(float[] descending, int thresholds)
    {
        int n = descending.Length;
        int[] tieEnd = new int[n];
        for (int r = n - 1; r >= 0; r--)
        {
            tieEnd[r] = r < n - 1 && descending[r + 1] == descending[r] ? tieEnd[r + 1] : r;
        }

        // numpy linspace(0, n-1, thre).astype(int): k·step in double, truncated, the last forced to n-1.
        int[] counts = new int[thresholds];
        double step = thresholds == 1 ? 0 : (double)(n - 1) / (thresholds - 1);
        for (int k = 0; k < thresholds; k++)
        {
            int index = k == thresholds - 1 && thresholds > 1 ? n - 1 : (int)(k * step);
            counts[k] = tieEnd[index] + 1;
        }

        return counts;
    }

    private static List<(int Start, int End)> Merge(List<(int Start, int End)> segments, int half, int n)
    {
        // TSB-AD's new_sequence: ramps that touch merge (strict "<"), and only the outer ends are clipped.
        List<(int Start, int End)> merged = [];
        int start = Math.Max(segments[0].Start - half, 0);
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (segments[i].End + half < segments[i + 1].Start - half)
            {
                merged.Add((start, segments[i].End + half));
                start = segments[i + 1].Start - half;
            }
        }

        merged.Add((start, Math.Min(segments[^1].End + half, n - 1)));
        return merged;
    }
}
