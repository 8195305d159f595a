namespace VaeStream.Model.Scaling;

/// <summary>Linear-interpolation quantiles (the numpy default), shared by scalers and thresholds.</summary>
public static class Quantiles
{
    /// <summary>Quantile <paramref name="q"/> of already sorted values.</summary>
    public static double Sorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No values to take a quantile of.", nameof(sorted));
        }

        double position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>Quantile <paramref name="q"/> of unsorted values (copies and sorts them).</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return Sorted(sorted, q);
    }
}
