namespace VaeStream.Evaluation.Metrics;

/// <summary>Precision, recall and F1 of thresholded predictions.</summary>
/// <param name="Precision">TP / (TP + FP), 0 when nothing is flagged.</param>
/// <param name="Recall">TP / (TP + FN), 0 when nothing is labelled.</param>
/// <param name="F1">Harmonic mean of the two.</param>
public readonly record struct PrecisionRecall(double Precision, double Recall, double F1);

/// <summary>The metrics of the fair protocol in <c>shared/data/README.md</c>.</summary>
public static class DetectionMetrics
{
    /// <summary>Point-wise precision, recall and F1, with no adjustment.</summary>
    public static PrecisionRecall PointWise(ReadOnlySpan<bool> predicted, ReadOnlySpan<bool> labels)
    {
        RequireSameLength(predicted.Length, labels.Length);
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (predicted[i] && labels[i])
            {
                tp++;
            }
            else if (predicted[i])
            {
                fp++;
            }
            else if (labels[i])
            {
                fn++;
            }
        }

        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new PrecisionRecall(precision, recall, f1);
    }

    /// <summary>
    /// Point-adjusted metrics: when any point of a labelled segment is flagged, the whole segment counts as
    /// detected. Random scores already reach 0.5–0.7 on SMD this way, so never report it alone.
    /// </summary>
    public static PrecisionRecall PointAdjusted(ReadOnlySpan<bool> predicted, ReadOnlySpan<bool> labels)
    {
        RequireSameLength(predicted.Length, labels.Length);
        bool[] adjusted = predicted.ToArray();
        foreach ((int start, int end) in LabelledSegments.Of(labels))
        {
            if (predicted[start..(end + 1)].Contains(true))
            {
                Array.Fill(adjusted, true, start, end - start + 1);
            }
        }

        return PointWise(adjusted, labels);
    }

    /// <summary>
    /// Average precision (area under the precision-recall curve, step-wise as scikit-learn computes it):
    /// Σ (R_k − R_{k−1}) P_k over the distinct score thresholds, highest first. Needs no threshold.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        RequireSameLength(scores.Length, labels.Length);
        int positives = 0;
        foreach (bool label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0)
        {
            return 0;
        }

        int[] order = Enumerable.Range(0, scores.Length).ToArray();
        float[] keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(keys);
        Array.Reverse(order);

        double ap = 0, previousRecall = 0;
        long tp = 0, seen = 0;
        for (int i = 0; i < order.Length; i++)
        {
            tp += labels[order[i]] ? 1 : 0;
            seen++;
            bool lastOfTie = i == order.Length - 1 || keys[i + 1] != keys[i];
            if (!lastOfTie)
            {
                continue;
            }

            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * ((double)tp / seen);
            previousRecall = recall;
        }

        return ap;
    }

    private static void RequireSameLength(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"Predictions ({a}) and labels ({b}) differ in length.");
        }
    }
}
