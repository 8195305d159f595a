using VaeStream.Model.Thresholds;

namespace VaeStream.Model.Tests.Thresholds;

public sealed class ThresholdFitterTests
{
    private const double Risk = 1e-3;

    private static double[] Draw(int n, int seed, Func<double, double> inverseCdf)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => inverseCdf(random.NextDouble())).ToArray();
    }

    private static ThresholdState Pot(double[] samples) =>
        ThresholdFitter.Fit(samples, new ThresholdOptions { Method = ThresholdMethod.Pot, Risk = Risk, InitialQuantile = 0.98 });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pot_on_exponential_samples_finds_the_true_quantile_within_ten_percent(int seed)
    {
        double[] samples = Draw(50_000, seed, u => -Math.Log(1 - u));
        double truth = -Math.Log(Risk);

        ThresholdState state = Pot(samples);

        Assert.InRange(state.Value, truth * 0.9, truth * 1.1);
        Assert.InRange(state.Shape!.Value, -0.15, 0.15);
    }

    [Theory]
    [InlineData(0.2, 1.0)]
    [InlineData(0.4, 2.0)]
    [InlineData(-0.2, 1.0)]
    public void Pot_on_gpd_samples_finds_the_true_quantile_within_ten_percent(double shape, double scale)
    {
        double[] samples = Draw(50_000, 11, u => scale / shape * (Math.Pow(1 - u, -shape) - 1));
        double truth = scale / shape * (Math.Pow(Risk, -shape) - 1);

        ThresholdState state = Pot(samples);

        Assert.InRange(state.Value, truth * 0.9, truth * 1.1);
        Assert.InRange(state.Shape!.Value, shape - 0.15, shape + 0.15);
    }

    [Fact]
    public void Exponential_log_likelihood_has_the_correct_sign()
    {
        double[] peaks = Draw(5_000, 5, u => -2 * Math.Log(1 - u));
        double mean = peaks.Average();

        // −N(1 + log Ȳ), the maximum of the exponential likelihood; the flipped sign would be positive here.
        Assert.Equal(-peaks.Length * (1 + Math.Log(mean)), GpdFit.LogLikelihood(peaks, 0, mean), 6);
        Assert.True(GpdFit.LogLikelihood(peaks, 0, mean) < 0);
    }

    [Fact]
    public void Quantile_and_fixed_methods()
    {
        double[] scores = Enumerable.Range(1, 1001).Select(i => (double)i).ToArray();

        Assert.Equal(991, ThresholdFitter.Fit(scores, new ThresholdOptions { Method = ThresholdMethod.Quantile, Quantile = 0.99 }).Value, 6);
        Assert.Equal(3.5, ThresholdFitter.Fit(scores, new ThresholdOptions { Method = ThresholdMethod.Fixed, Value = 3.5 }).Value);
    }

    [Fact]
    public void Non_finite_calibration_scores_are_refused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Pot([1, 2, double.NaN]));

        Assert.StartsWith("Threshold calibration needs a non-empty set of finite scores.", error.Message, StringComparison.Ordinal);
    }
}
