using VaeStream.Model.Thresholds;

namespace VaeStream.Evaluation;

/// <summary>
/// The streaming (causal) mode of the protocol: a threshold that starts from the calibration scores and then
/// learns from the test stream itself, in order (SPOT, or DSPOT with <see cref="ThresholdOptions.StreamingDepth"/>).
/// The decision about row t uses the calibration scores and the test scores before t, never a later one and never
/// a label.
/// </summary>
public static class StreamingReplay
{
    /// <summary>One decision per test score, and the threshold in force after the last one.</summary>
    public static (bool[] Predicted, double FinalThreshold) Decide(IReadOnlyList<double> calibration, ReadOnlySpan<float> scores,
        ThresholdOptions options)
    {
        var pot = new StreamingPot(calibration, options.Risk, options.InitialQuantile, options.StreamingDepth);
        bool[] predicted = new bool[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            predicted[i] = pot.Observe(scores[i]);
        }

        return (predicted, pot.Threshold);
    }
}
