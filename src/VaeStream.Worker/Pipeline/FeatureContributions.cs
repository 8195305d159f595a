using VaeStream.Model.Detection;

namespace VaeStream.Worker.Pipeline;

/// <summary>One feature's part in an anomaly: its share of the score, and its value against the expected one.</summary>
public readonly record struct FeatureContribution(string Feature, float Share, float Value, float Expected);

/// <summary>The features that drove one flagged event, worked out once for its anomaly message and its incident.</summary>
internal static class FeatureContributions
{
    /// <summary>
    /// The <paramref name="count"/> features with the largest contributions, largest first, with their values and
    /// expected values in the event's units. Both are written at the model's float precision: as doubles, 33.37 read
    /// from the event came out as 33.369998931884766.
    /// </summary>
    public static FeatureContribution[] Leading(AnomalyDetector detector, float score, ReadOnlySpan<float> row,
        ReadOnlySpan<float> contributions, ReadOnlySpan<float> expected, int count)
    {
        int[] order = TopIndices(contributions, count);
        var leading = new FeatureContribution[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            int f = order[k];
            leading[k] = new FeatureContribution(detector.Schema.Features[f].Name, score > 0 ? contributions[f] / score : 0f,
                (float)detector.ValueInEventUnits(f, row[f]), (float)detector.ExpectedInEventUnits(f, expected[f]));
        }

        return leading;
    }

    private static int[] TopIndices(ReadOnlySpan<float> values, int count)
    {
        int[] order = new int[values.Length];
        float[] keys = values.ToArray();
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        Array.Reverse(order);
        return order[..Math.Min(count, order.Length)];
    }
}
