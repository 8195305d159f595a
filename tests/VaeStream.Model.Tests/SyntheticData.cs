using VaeStream.Model.Features;

namespace VaeStream.Model.Tests;

/// <summary>
/// Correlated rows from two latent factors mixed into eight features plus noise, with labelled anomalies that
/// either spike one feature or break the correlation between features.
/// </summary>
internal static class SyntheticData
{
    public const int Features = 8;

    public static readonly FeatureSchema Schema = FeatureSchema.ForColumns(Enumerable.Range(0, Features).Select(i => $"f{i}"));

    public static (FeatureTable Table, bool[] Labels) Generate(int rows, double anomalyRate, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[rows * Features];
        bool[] labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            double a = Gaussian(random);
            double b = Gaussian(random);
            Span<float> row = values.AsSpan(r * Features, Features);
            for (int f = 0; f < Features; f++)
            {
                row[f] = (float)(Math.Cos(f) * a + Math.Sin(f) * b + 0.05 * Gaussian(random));
            }

            if (random.NextDouble() < anomalyRate)
            {
                labels[r] = true;
                int feature = LargestMagnitude(row);
                bool breakCorrelation = random.Next(2) == 0 && Math.Abs(row[feature]) > 0.5f;
                row[feature] = breakCorrelation
                    ? -row[feature]
                    : row[feature] + (float)(4 + 2 * random.NextDouble());
            }
        }

        return (new FeatureTable(Schema, values, null), labels);
    }

    public static double AucRoc(float[] scores, bool[] labels)
    {
        double[] positives = scores.Where((_, i) => labels[i]).Select(s => (double)s).ToArray();
        double[] negatives = scores.Where((_, i) => !labels[i]).Select(s => (double)s).ToArray();
        double wins = 0;
        foreach (double p in positives)
        {
            foreach (double n in negatives)
            {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }

        return wins / ((double)positives.Length * negatives.Length);
    }

    // Flipping the sign of the most pronounced feature keeps it inside its marginal range but off the
    // two-factor structure: a correlation break with a clear ground truth.
    private static int LargestMagnitude(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int f = 1; f < row.Length; f++)
        {
            best = Math.Abs(row[f]) > Math.Abs(row[best]) ? f : best;
        }

        return best;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
