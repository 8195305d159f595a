using VaeStream.Model.Scaling;

namespace VaeStream.Model.Tests.Scaling;

public sealed class FeatureScalerTests
{
    // Two features, five rows: column 0 = 1..5, column 1 constant 7.
    private static readonly float[] Rows = [1, 7, 2, 7, 3, 7, 4, 7, 100, 7];

    [Fact]
    public void Standard_scaler_uses_mean_and_population_std_and_floors_constant_columns()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Rows, 2, ScalerKind.Standard, minScale: 0.5f);
        double mean = (1 + 2 + 3 + 4 + 100) / 5.0;
        double std = Math.Sqrt(new[] { 1.0, 2, 3, 4, 100 }.Sum(v => (v - mean) * (v - mean)) / 5);

        Assert.Equal(mean, scaler.Center[0], 4);
        Assert.Equal(std, scaler.Scale[0], 3);
        Assert.Equal(7f, scaler.Center[1]);
        Assert.Equal(0.5f, scaler.Scale[1]);
    }

    [Fact]
    public void Robust_scaler_uses_median_and_iqr_so_an_outlier_barely_moves_it()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Rows, 2, ScalerKind.Robust);

        Assert.Equal(3f, scaler.Center[0]);
        Assert.Equal((4 - 2) / 1.349, scaler.Scale[0], 4);
    }

    [Fact]
    public void Transform_centres_scales_and_clips_and_inverse_undoes_it()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Rows, 2, ScalerKind.Robust, minScale: 0.5f, clip: 10f);
        float[] row = [4, 1000];

        scaler.Transform(row);

        Assert.Equal(1.349 / 2, row[0], 4);
        Assert.Equal(10f, row[1]);
        Assert.Equal(4.0, scaler.Inverse(0, row[0]), 4);
    }

    [Fact]
    public void Missing_values_are_ignored_when_fitting()
    {
        FeatureScaler scaler = FeatureScaler.Fit([1, float.NaN, 3], 1, ScalerKind.Standard);

        Assert.Equal(2f, scaler.Center[0]);
        Assert.Equal(1f, scaler.Scale[0]);
    }
}
