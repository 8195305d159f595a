using VaeStream.Model.Thresholds;

namespace VaeStream.Evaluation;

/// <summary>The threshold a replay compares rows with while one model is live.</summary>
internal interface IRowThreshold
{
    /// <summary>The threshold the next row is compared with.</summary>
    double Value { get; }

    /// <summary>Decides on <paramref name="score"/>, then learns from it if the threshold learns.</summary>
    bool Observe(double score);
}

/// <summary>The two thresholds of <see cref="StreamingThreshold"/>.</summary>
internal static class RowThreshold
{
    /// <summary>The threshold for <paramref name="detector"/> while it is live.</summary>
    public static IRowThreshold For(IReplayDetector detector, ThresholdOptions options) => options.Streaming switch
    {
        StreamingThreshold.Spot => new Spot(new StreamingPot(detector.Calibration, options.Risk, options.InitialQuantile, options.StreamingDepth)),
        StreamingThreshold.Model => new ModelOwn(detector.Threshold),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Streaming, "threshold.streaming: unknown value"),
    };

    private sealed class ModelOwn(double value) : IRowThreshold
    {
        public double Value => value;

        public bool Observe(double score) => score > value;
    }

    private sealed class Spot(StreamingPot pot) : IRowThreshold
    {
        public double Value => pot.Threshold;

        public bool Observe(double score) => pot.Observe(score);
    }
}
