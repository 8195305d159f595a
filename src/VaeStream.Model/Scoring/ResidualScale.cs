namespace VaeStream.Model.Scoring;

/// <summary>
/// How far each feature is normally from its reconstruction: the spread of its reconstruction error on held-out
/// normal rows, in scaled units. The weighted score divides each feature's error by it.
/// </summary>
internal static class ResidualScale
{
    // The top 1% of errors is winsorized before the root mean square: training data is unlabelled and may hold a few
    // anomalies, which would otherwise widen the scale of exactly the features they break.
    private const double WinsorizeAt = 0.99;

    /// <summary>
    /// Fits the scale from <paramref name="rows"/> rows of actual and reconstructed values (row-major,
    /// <paramref name="features"/> wide). Each feature's scale is at least <paramref name="relativeFloor"/> times the
    /// median scale over the features, and at least <paramref name="absoluteFloor"/>.
    /// </summary>
    public static float[] Fit(ReadOnlySpan<float> actual, ReadOnlySpan<float> reconstructed, int rows, int features,
        float relativeFloor, float absoluteFloor = 1e-3f)
    {
        if (rows < 1 || actual.Length < rows * features || reconstructed.Length < rows * features)
        {
            throw new ArgumentException($"a residual scale needs at least one row of {features} features; got {rows} rows.");
        }

        float[] scale = new float[features];
        double[] errors = new double[rows];
        for (int f = 0; f < features; f++)
        {
            for (int r = 0; r < rows; r++)
            {
                errors[r] = Math.Abs(actual[r * features + f] - reconstructed[r * features + f]);
            }

            scale[f] = (float)WinsorizedRootMeanSquare(errors);
        }

        float[] sorted = [.. scale];
        Array.Sort(sorted);
        float floor = Math.Max(absoluteFloor, relativeFloor * sorted[features / 2]);
        for (int f = 0; f < features; f++)
        {
            scale[f] = Math.Max(scale[f], floor);
        }

        return scale;
    }

    // Sorts its argument in place.
    private static double WinsorizedRootMeanSquare(double[] sorted)
    {
        Array.Sort(sorted);
        double cap = Scaling.Quantiles.Sorted(sorted, WinsorizeAt);
        double sum = 0;
        foreach (double e in sorted)
        {
            double capped = Math.Min(e, cap);
            sum += capped * capped;
        }

        return Math.Sqrt(sum / sorted.Length);
    }
}
