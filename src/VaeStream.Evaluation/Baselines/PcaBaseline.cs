
namespace VaeStream.Evaluation.Baselines;

/// <summary>
/// The data README's <c>pca_rw</c> peer, the bar the VAE has to clear: rows standardised with the first 80% of train,
/// PCA on those rows with the fewest components that explain 90% of the variance, and a row's score the sum over
/// features of its squared residual (off the principal subspace) divided by that feature's residual variance on the
/// held-out last 20% of train. Point-wise: it sees one row at a time, whatever the VAE's window.
/// </summary>
internal sealed class PcaBaseline
{
    // A feature that is constant in train has no spread to divide by; this one, in standardised units, stands for
    // "barely moves", as the scaler's floor does for the VAE.
    private const double MinResidualSpread = 1e-3;

    private readonly int features;
    private readonly double[] mean;
    private readonly double[] std;
    private readonly double[] components; // features × Components, row-major
    private readonly double[] residualSpread;

    private PcaBaseline(int features, double[] mean, double[] std, double[] components, int count, double[] residualSpread, double[] tailScores)
    {
        this.features = features;
        this.mean = mean;
        this.std = std;
        this.components = components;
        Components = count;
        this.residualSpread = residualSpread;
        TailScores = tailScores;
    }

    /// <summary>Principal components kept.</summary>
    public int Components { get; }

    /// <summary>Scores of the held-out tail of train, to choose a threshold from without labels.</summary>
    public double[] TailScores { get; }

    /// <summary>Fits on training <paramref name="values"/> (row-major, <paramref name="features"/> wide, in time order).</summary>
    public static PcaBaseline Fit(ReadOnlySpan<float> values, int features, double explainedVariance = 0.9, double tailFraction = 0.2)
    {
        int rows = values.Length / features;
        int tail = Math.Max(1, (int)(rows * tailFraction));
        int head = rows - tail;
        if (head < 2)
        {
            throw new ArgumentException($"the PCA baseline needs at least 2 rows before its held-out tail; got {rows} rows.");
        }

        (double[] mean, double[] std) = Standardisation(values[..(head * features)], features);
        double[] z = Standardise(values, features, mean, std);
        double[] covariance = new double[features * features];
        for (int r = 0; r < head; r++)
        {
            for (int i = 0; i < features; i++)
            {
                double zi = z[r * features + i];
                for (int j = i; j < features; j++)
                {
                    covariance[i * features + j] += zi * z[r * features + j];
                }
            }
        }

        for (int i = 0; i < features; i++)
        {
            for (int j = i; j < features; j++)
            {
                covariance[i * features + j] /= head - 1;
                covariance[j * features + i] = covariance[i * features + j];
            }
        }

        (double[] eigenvalues, double[] eigenvectors) = SymmetricEigen.Decompose(covariance, features);
        int count = ComponentsFor(eigenvalues, explainedVariance);
        double[] kept = new double[features * count];
        for (int f = 0; f < features; f++)
        {
            for (int c = 0; c < count; c++)
            {
                kept[f * count + c] = eigenvectors[f * features + c];
            }
        }

        var unweighted = new PcaBaseline(features, mean, std, kept, count, [.. Enumerable.Repeat(1.0, features)], []);
        double[] tailResiduals = unweighted.Residuals(z.AsSpan(head * features));
        double[] spread = new double[features];
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int r = 0; r < tail; r++)
            {
                sum += tailResiduals[r * features + f] * tailResiduals[r * features + f];
            }

            spread[f] = Math.Max(Math.Sqrt(sum / tail), MinResidualSpread);
        }

        var fitted = new PcaBaseline(features, mean, std, kept, count, spread, []);
        double[] tailScores = [.. fitted.ScoreStandardised(z.AsSpan(head * features)).Select(s => (double)s)];
        return new PcaBaseline(features, mean, std, kept, count, spread, tailScores);
    }

    /// <summary>Scores rows (row-major, the fitted width), one score per row.</summary>
    public float[] Score(ReadOnlySpan<float> values) => ScoreStandardised(Standardise(values, features, mean, std));

    // sklearn's n_components=0.9: the fewest components whose explained variance ratio reaches the share.
    private static int ComponentsFor(double[] eigenvalues, double share)
    {
        double total = eigenvalues.Sum(v => Math.Max(v, 0));
        double cumulative = 0;
        for (int c = 0; c < eigenvalues.Length; c++)
        {
            cumulative += Math.Max(eigenvalues[c], 0);
            if (total <= 0 || cumulative / total >= share)
            {
                return c + 1;
            }
        }

        return eigenvalues.Length;
    }

    private float[] ScoreStandardised(ReadOnlySpan<double> z)
    {
        double[] residuals = Residuals(z);
        int rows = z.Length / features;
        float[] scores = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int f = 0; f < features; f++)
            {
                double weighted = residuals[r * features + f] / residualSpread[f];
                sum += weighted * weighted;
            }

            scores[r] = (float)sum;
        }

        return scores;
    }

    // z minus its projection on the kept components; the standardised rows are centred on the fitted mean already.
    private double[] Residuals(ReadOnlySpan<double> z)
    {
        int rows = z.Length / features;
        int count = Components;
        double[] residuals = z.ToArray();
        double[] projection = new double[count];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = z.Slice(r * features, features);
            Array.Clear(projection);
            for (int f = 0; f < features; f++)
            {
                for (int c = 0; c < count; c++)
                {
                    projection[c] += row[f] * components[f * count + c];
                }
            }

            for (int f = 0; f < features; f++)
            {
                double reconstructed = 0;
                for (int c = 0; c < count; c++)
                {
                    reconstructed += projection[c] * components[f * count + c];
                }

                residuals[r * features + f] -= reconstructed;
            }
        }

        return residuals;
    }

    // Missing values (NaN) are left out of the statistics and stand at the mean when scored.
    private static (double[] Mean, double[] Std) Standardisation(ReadOnlySpan<float> values, int features)
    {
        double[] mean = new double[features], std = new double[features];
        var column = new List<double>();
        for (int f = 0; f < features; f++)
        {
            column.Clear();
            for (int i = f; i < values.Length; i += features)
            {
                if (!float.IsNaN(values[i]))
                {
                    column.Add(values[i]);
                }
            }

            mean[f] = column.Count == 0 ? 0 : column.Average();
            double m = mean[f];
            double variance = column.Count == 0 ? 0 : column.Sum(v => (v - m) * (v - m)) / column.Count;
            std[f] = variance > 0 ? Math.Sqrt(variance) : 1; // scikit-learn's StandardScaler leaves a constant feature unscaled
        }

        return (mean, std);
    }

    private static double[] Standardise(ReadOnlySpan<float> values, int features, double[] mean, double[] std)
    {
        double[] z = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int f = i % features;
            z[i] = float.IsNaN(values[i]) ? 0 : (values[i] - mean[f]) / std[f];
        }

        return z;
    }
}
