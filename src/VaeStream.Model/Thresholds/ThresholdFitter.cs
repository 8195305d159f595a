using VaeStream.Model.Scaling;

namespace VaeStream.Model.Thresholds;

/// <summary>Fits a threshold to calibration scores. Test labels never enter.</summary>
internal static class ThresholdFitter
{
    // Below this many peaks a GPD fit is noise; the empirical (1 − q) quantile is used instead.
    private const int MinimumPeaks = 10;

    /// <summary>Fits the threshold the options ask for.</summary>
    public static ThresholdState Fit(IReadOnlyList<double> scores, ThresholdOptions options)
    {
        options.Validate();
        if (options.Method == ThresholdMethod.Fixed)
        {
            return new ThresholdState(ThresholdMethod.Fixed, options.Value, 0);
        }

        if (scores.Count == 0 || scores.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Threshold calibration needs a non-empty set of finite scores.", nameof(scores));
        }

        double[] sorted = [.. scores];
        Array.Sort(sorted);
        return options.Method == ThresholdMethod.Quantile
            ? new ThresholdState(ThresholdMethod.Quantile, Quantiles.Sorted(sorted, options.Quantile), sorted.Length)
            : TrimmedPot(sorted, options.Risk, options.InitialQuantile, options.MaxShape, options.MinShape);
    }

    /// <summary>
    /// POT on calibration scores that may hold anomalies (a streaming warm-up never has clean data): while the
    /// fitted shape exceeds <paramref name="maxShape"/>, the largest score is set aside and the fit repeated, at
    /// most until half of the peaks are gone. The risk then refers to the remaining, presumed normal, scores.
    /// The shape is held at <paramref name="minShape"/> or above (<see cref="ThresholdOptions.MinShape"/>).
    /// </summary>
    public static ThresholdState TrimmedPot(double[] sorted, double risk, double initialQuantile, double maxShape, double minShape = ThresholdOptions.NoShapeFloor)
    {
        ThresholdState state = Pot(sorted, risk, initialQuantile, minShape);
        int maxTrim = (int)(sorted.Length * (1 - initialQuantile) / 2);
        int trimmed = 0;
        while (state.Shape > maxShape && trimmed < maxTrim)
        {
            trimmed++;
            state = Pot(sorted[..^trimmed], risk, initialQuantile, minShape);
        }

        return state with { CalibrationCount = sorted.Length, Trimmed = trimmed };
    }

    /// <summary>
    /// SPOT's initial step: t = the initial quantile, GPD on the excesses over t, then
    /// z_q = t + (σ/γ)((q·n/N_t)^(−γ) − 1), or t − σ·log(q·n/N_t) when γ = 0.
    /// </summary>
    public static ThresholdState Pot(double[] sorted, double risk, double initialQuantile, double minShape = ThresholdOptions.NoShapeFloor)
    {
        double t = Quantiles.Sorted(sorted, initialQuantile);
        double[] peaks = sorted.Where(s => s > t).Select(s => s - t).ToArray();
        if (peaks.Length < MinimumPeaks)
        {
            return new ThresholdState(ThresholdMethod.Pot, Quantiles.Sorted(sorted, 1 - risk), sorted.Length, t, peaks.Length);
        }

        (double shape, double scale) = GpdFit.Fit(peaks, minShape);
        double ratio = risk * sorted.Length / peaks.Length;
        double z = Math.Abs(shape) < 1e-12
            ? t - scale * Math.Log(ratio)
            : t + scale / shape * (Math.Pow(ratio, -shape) - 1);
        return new ThresholdState(ThresholdMethod.Pot, z, sorted.Length, t, peaks.Length, shape, scale);
    }
}
