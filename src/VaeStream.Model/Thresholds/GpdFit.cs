namespace VaeStream.Model.Thresholds;

/// <summary>
/// Maximum-likelihood fit of a generalized Pareto distribution to peaks with Grimshaw's method, as in SPOT
/// (Siffer et al., KDD 2017). The candidates are the roots of u(x)·v(x) = 1 plus the exponential case γ = 0;
/// the one with the highest log-likelihood wins. For γ = 0 the log-likelihood is −N(1 + log Ȳ): the often
/// copied reference code has that sign flipped, which makes it pick the exponential fit far too often.
/// </summary>
internal static class GpdFit
{
    private const int GridPoints = 400;
    private const double NearZero = 1e-5;

    /// <summary>Fits (γ, σ) to strictly positive peaks.</summary>
    public static (double Shape, double Scale, double LogLikelihood) Fit(IReadOnlyList<double> peaks)
    {
        if (peaks.Count == 0 || peaks.Any(y => !(y > 0)))
        {
            throw new ArgumentException("GPD peaks must be a non-empty set of positive values.", nameof(peaks));
        }

        double min = peaks.Min();
        double max = peaks.Max();
        double mean = peaks.Average();

        var best = (Shape: 0.0, Scale: mean, LogLikelihood: -peaks.Count * (1 + Math.Log(mean)));
        // Roots lie in (−1/Y_max, 0) ∪ (0, 2(Ȳ − Y_min)/Y_min²). Both intervals are searched on geometric grids that
        // reach close to 0, where the roots of light tails sit; the reference code's lower bound for the positive
        // interval, 2(Ȳ − Y_min)/(Ȳ·Y_min), lies above the root whenever the smallest peak is tiny.
        var roots = new List<double>();
        FindRoots(peaks, p => -(1 - p) / max, NearZero, 1 - 1e-9, roots);
        double high = 2 * (mean - min) / (min * min);
        if (high > NearZero / mean)
        {
            FindRoots(peaks, p => p, NearZero / mean, high, roots);
        }

        foreach (double x in roots)
        {
            double shape = V(peaks, x) - 1;
            double scale = shape / x;
            if (!(scale > 0) || Math.Abs(shape) < 1e-12)
            {
                continue;
            }

            double likelihood = LogLikelihood(peaks, shape, scale);
            if (likelihood > best.LogLikelihood)
            {
                best = (shape, scale, likelihood);
            }
        }

        return best;
    }

    /// <summary>
    /// <see cref="Fit(IReadOnlyList{double})"/>, with the shape held at <paramref name="minShape"/> and the scale refitted by maximum likelihood
    /// when the free fit's shape is below it (γ = 0: the exponential, σ = the mean peak).
    /// </summary>
    public static (double Shape, double Scale) Fit(IReadOnlyList<double> peaks, double minShape)
    {
        (double shape, double scale, _) = Fit(peaks);
        if (shape >= minShape)
        {
            return (shape, scale);
        }

        if (minShape == 0)
        {
            return (0, peaks.Average());
        }

        // Golden-section search for σ on a log scale; for γ < 0 the support y < σ/|γ| must hold every peak.
        double max = peaks.Max();
        double low = Math.Log(minShape < 0 ? -minShape * max * (1 + 1e-9) : max * 1e-9), high = Math.Log(max * 1e3 + 1e-300);
        double Negative(double logScale) => -LogLikelihood(peaks, minShape, Math.Exp(logScale));
        const double Ratio = 0.6180339887498949;
        for (int i = 0; i < 200 && high - low > 1e-10; i++)
        {
            double a = high - Ratio * (high - low), b = low + Ratio * (high - low);
            if (Negative(a) <= Negative(b))
            {
                high = b;
            }
            else
            {
                low = a;
            }
        }

        return (minShape, Math.Exp(0.5 * (low + high)));
    }

    /// <summary>GPD log-likelihood; −∞ outside the support.</summary>
    public static double LogLikelihood(IReadOnlyList<double> peaks, double shape, double scale)
    {
        if (Math.Abs(shape) < 1e-12)
        {
            return -peaks.Count * Math.Log(scale) - peaks.Sum() / scale;
        }

        double sum = 0;
        foreach (double y in peaks)
        {
            double term = 1 + shape * y / scale;
            if (term <= 0)
            {
                return double.NegativeInfinity;
            }

            sum += Math.Log(term);
        }

        return -peaks.Count * Math.Log(scale) - (1 + 1 / shape) * sum;
    }

    // Scans x = map(p) for p on a geometric grid over [from, to] and bisects every sign change of w.
    private static void FindRoots(IReadOnlyList<double> peaks, Func<double, double> map, double from, double to, List<double> roots)
    {
        if (!(to > from))
        {
            return;
        }

        double previousX = map(from);
        double previous = W(peaks, previousX);
        for (int i = 1; i <= GridPoints; i++)
        {
            double x = map(from * Math.Pow(to / from, (double)i / GridPoints));
            double current = W(peaks, x);
            if (double.IsFinite(previous) && double.IsFinite(current) && Math.Sign(previous) != Math.Sign(current))
            {
                roots.Add(Bisect(peaks, previousX, x));
            }

            previousX = x;
            previous = current;
        }
    }

    private static double Bisect(IReadOnlyList<double> peaks, double a, double b)
    {
        double fa = W(peaks, a);
        for (int i = 0; i < 100; i++)
        {
            double middle = 0.5 * (a + b);
            double fm = W(peaks, middle);
            if (Math.Sign(fm) == Math.Sign(fa))
            {
                a = middle;
                fa = fm;
            }
            else
            {
                b = middle;
            }
        }

        return 0.5 * (a + b);
    }

    // w(x) = u(x)·v(x) − 1, with u(x) = mean(1/(1 + xY)) and v(x) = 1 + mean(log(1 + xY)).
    private static double W(IReadOnlyList<double> peaks, double x)
    {
        double u = 0;
        foreach (double y in peaks)
        {
            u += 1 / (1 + x * y);
        }

        return u / peaks.Count * V(peaks, x) - 1;
    }

    private static double V(IReadOnlyList<double> peaks, double x)
    {
        double sum = 0;
        foreach (double y in peaks)
        {
            sum += Math.Log(1 + x * y);
        }

        return 1 + sum / peaks.Count;
    }
}
