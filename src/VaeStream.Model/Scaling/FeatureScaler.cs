using System.Text.Json.Serialization;

namespace VaeStream.Model.Scaling;

/// <summary>How feature columns are centred and scaled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScalerKind>))]
public enum ScalerKind
{
    /// <summary>Mean and standard deviation.</summary>
    Standard,

    /// <summary>Median and interquartile range (divided by 1.349, so a normal column gets unit scale).</summary>
    Robust,
}

/// <summary>
/// Per-feature affine scaling fitted on training rows only, then saved with the model. No feature's scale falls
/// below a floor: the larger of <c>minScale</c> and <c>relativeMinScale</c> × the median feature scale, so columns
/// (nearly) constant in training turn a later change into a large but finite deviation, in proportion to how much
/// the data's features typically vary. Scaled values are clipped to ±<see cref="Clip"/>.
/// </summary>
public sealed record FeatureScaler
{
    /// <summary>The scaling kind.</summary>
    public required ScalerKind Kind { get; init; }

    /// <summary>Per-feature centre (mean or median).</summary>
    public required float[] Center { get; init; }

    /// <summary>Per-feature scale (standard deviation or IQR/1.349), never below <see cref="MinScale"/>.</summary>
    public required float[] Scale { get; init; }

    /// <summary>The floor applied to every feature's scale.</summary>
    public float MinScale { get; init; }

    /// <summary>Scaled values are clipped to ±Clip.</summary>
    public float Clip { get; init; }

    /// <summary>Fits the scaler on row-major rows; NaN cells (missing values) are ignored.</summary>
    public static FeatureScaler Fit(ReadOnlySpan<float> rows, int features, ScalerKind kind, float minScale = 1e-2f, float clip = 100f,
        float relativeMinScale = 0)
    {
        int count = rows.Length / features;
        float[] center = new float[features];
        float[] scale = new float[features];
        double[] column = new double[count];
        for (int f = 0; f < features; f++)
        {
            int n = 0;
            for (int r = 0; r < count; r++)
            {
                float value = rows[r * features + f];
                if (!float.IsNaN(value))
                {
                    column[n++] = value;
                }
            }

            Span<double> present = column.AsSpan(0, n);
            (double c, double s) = n == 0 ? (0, 1) : kind == ScalerKind.Standard ? MeanAndStd(present) : MedianAndIqr(present);
            center[f] = (float)c;
            scale[f] = (float)s;
        }

        float[] sortedScales = [.. scale];
        Array.Sort(sortedScales);
        float floor = Math.Max(minScale, relativeMinScale * sortedScales[features / 2]);
        for (int f = 0; f < features; f++)
        {
            scale[f] = Math.Max(scale[f], floor);
        }

        return new FeatureScaler { Kind = kind, Center = center, Scale = scale, MinScale = floor, Clip = clip };
    }

    /// <summary>Scales one row in place.</summary>
    public void Transform(Span<float> row)
    {
        for (int f = 0; f < row.Length; f++)
        {
            row[f] = Math.Clamp((row[f] - Center[f]) / Scale[f], -Clip, Clip);
        }
    }

    /// <summary>Back from the scaled space to the feature's (transformed) units.</summary>
    public double Inverse(int feature, double scaled) => scaled * Scale[feature] + Center[feature];

    private static (double Center, double Scale) MeanAndStd(Span<double> values)
    {
        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double variance = 0;
        foreach (double v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(variance / values.Length));
    }

    private static (double Center, double Scale) MedianAndIqr(Span<double> values)
    {
        values.Sort();
        double median = Quantiles.Sorted(values, 0.5);
        double iqr = Quantiles.Sorted(values, 0.75) - Quantiles.Sorted(values, 0.25);
        return (median, iqr / 1.349);
    }
}
