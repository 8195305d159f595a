namespace VaeStream.Evaluation.Metrics;

/// <summary>The window TSB-AD's benchmark passes to <see cref="VolumeUnderSurface.VusPr"/>: the period of the series.</summary>
internal static class PeriodWindow
{
    private const int Prefix = 20_000;
    private const int MaxLag = 400;
    private const int FirstLag = 3;
    private const int LastIndex = 300;
    private const int Fallback = 125;

    /// <summary>
    /// TSB-AD's <c>find_length_rank(x, rank=1)</c>: the lag of the highest strict local maximum of the
    /// autocorrelation over lags 3..400 of the first 20,000 values.
    /// </summary>
    /// <param name="series">A univariate series (TSB-AD takes the first channel of the data).</param>
    /// <returns>The period in [6, 303], or 125 when there is none (for example a constant series).</returns>
    public static int Of(ReadOnlySpan<float> series)
    {
        ReadOnlySpan<float> x = series[..Math.Min(series.Length, Prefix)];
        int n = x.Length;
        if (n == 0)
        {
            return Fallback;
        }

        double mean = 0;
        foreach (float value in x)
        {
            mean += value;
        }

        mean /= n;
        double[] centred = new double[n];
        double c0 = 0;
        for (int t = 0; t < n; t++)
        {
            centred[t] = x[t] - mean;
            c0 += centred[t] * centred[t];
        }

        // A constant (or non-finite) series has a NaN autocorrelation; the reference falls into its bare
        // except there and returns the fallback.
        if (c0 is not > 0.0)
        {
            return Fallback;
        }

        // statsmodels' acf (demeaned, divided by n at every lag) stops at lag n - 1 on short series. The
        // 1/n cancels in c_k / c_0, so the direct sums give the same values as its FFT, up to rounding.
        int lastLag = Math.Min(MaxLag, n - 1);
        if (lastLag < FirstLag + 2)
        {
            return Fallback;
        }

        double[] acf = new double[lastLag - FirstLag + 1];
        for (int i = 0; i < acf.Length; i++)
        {
            int lag = i + FirstLag;
            double sum = 0;
            for (int t = 0; t < n - lag; t++)
            {
                sum += centred[t] * centred[t + lag];
            }

            acf[i] = sum / c0;
        }

        // scipy's argrelextrema(np.greater) keeps strict interior maxima only, so plateaus never count.
        // On an exact tie the later lag wins, as numpy's descending argsort gives for a few maxima.
        int best = -1;
        for (int i = 1; i < acf.Length - 1; i++)
        {
            if (acf[i] > acf[i - 1] && acf[i] > acf[i + 1] && (best < 0 || acf[i] >= acf[best]))
            {
                best = i;
            }
        }

        return best is < 3 or > LastIndex ? Fallback : best + FirstLag;
    }
}
