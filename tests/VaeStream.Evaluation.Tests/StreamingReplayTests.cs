using VaeStream.Model.Thresholds;

namespace VaeStream.Evaluation.Tests;

public sealed class StreamingReplayTests
{
    private static readonly ThresholdOptions Options = new() { Risk = 1e-3, InitialQuantile = 0.98, StreamingDepth = 10 };

    private static float[] Exponential(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)-Math.Log(1 - random.NextDouble()))];
    }

    [Fact]
    public void No_decision_changes_when_only_later_scores_change()
    {
        double[] calibration = [.. Exponential(3_000, seed: 1).Select(s => (double)s)];
        float[] scores = Exponential(6_000, seed: 2);
        float[] future = [.. scores];
        const int cut = 3_000;
        var random = new Random(3);
        for (int i = cut; i < future.Length; i++)
        {
            future[i] = (float)(random.NextDouble() * 50); // a different future, full of alarms and new peaks
        }

        (bool[] original, _) = StreamingReplay.Decide(calibration, scores, Options);
        (bool[] changed, _) = StreamingReplay.Decide(calibration, future, Options);

        Assert.Equal(original[..cut], changed[..cut]);
        Assert.NotEqual(original[cut..], changed[cut..]); // the change did reach the decisions it may reach
    }

    [Fact]
    public void It_learns_from_the_stream_where_a_fixed_threshold_does_not()
    {
        // The stream's scores are twice the calibration's: the batch threshold flags a far larger share of them. SPOT
        // never learns from its alarms, so it closes the gap only in part.
        double[] calibration = [.. Exponential(3_000, seed: 4).Select(s => (double)s)];
        float[] scores = [.. Exponential(20_000, seed: 5).Select(s => 2 * s)];
        double batch = ThresholdFitter.Pot([.. calibration.Order()], 1e-3, 0.98).Value;

        (bool[] streamed, _) = StreamingReplay.Decide(calibration, scores, Options with { StreamingDepth = 0 });
        double streamedRate = streamed[10_000..].Average(p => p ? 1.0 : 0.0);
        double batchRate = scores[10_000..].Average(s => s > batch ? 1.0 : 0.0);

        Assert.True(streamedRate < 0.7 * batchRate, $"streaming flagged {streamedRate:P2}, batch {batchRate:P2}");
    }
}
