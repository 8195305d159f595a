using VaeStream.Model.Thresholds;

namespace VaeStream.Model.Tests.Thresholds;

public sealed class ResidualShiftDetectorTests
{
    private const int Features = 3;

    // Residuals as a fleet model leaves them for one entity: a steady bias of its own on feature 0, an error that
    // follows a load cycle of 720 events on feature 1, and unit noise on every feature; from shiftAt on, feature 2
    // sits `shift` residual scales higher.
    private static IEnumerable<double[]> Residuals(int count, int seed, int shiftAt = int.MaxValue, double shift = 0)
    {
        var random = new Random(seed);
        double Noise() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        for (int i = 0; i < count; i++)
        {
            yield return [2.5 + Noise(), 0.8 * Math.Sin(2 * Math.PI * i / 720) + Noise(), Noise() + (i >= shiftAt ? shift : 0)];
        }
    }

    private static List<(int At, IReadOnlyList<(int Feature, double Shift)> Moved)> Declarations(ResidualShiftDetector detector, IEnumerable<double[]> residuals)
    {
        var declared = new List<(int, IReadOnlyList<(int, double)>)>();
        int i = 0;
        foreach (double[] r in residuals)
        {
            if (detector.Observe(r) is { } moved)
            {
                declared.Add((i, moved));
            }

            i++;
        }

        return declared;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_steady_bias_and_an_error_that_follows_the_load_cycle_are_never_a_shift(int seed)
    {
        var detector = new ResidualShiftDetector(Features, shortRows: 50, minShift: 0.25, z: 10);

        Assert.Empty(Declarations(detector, Residuals(30_000, seed)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_lasting_step_is_declared_once_on_its_feature_soon_after_it_starts_and_then_taken_as_normal(int seed)
    {
        var detector = new ResidualShiftDetector(Features, shortRows: 50, minShift: 0.25, z: 10);

        var declared = Declarations(detector, Residuals(20_000, seed, shiftAt: 5_000, shift: 3));

        (int at, IReadOnlyList<(int Feature, double Shift)> moved) = Assert.Single(declared);
        Assert.InRange(at, 5_000, 5_000 + 100);
        Assert.Equal(2, moved[0].Feature);
        Assert.True(moved[0].Shift > 0, $"shift {moved[0].Shift}");
    }

    [Fact]
    public void Nothing_is_declared_before_half_a_baseline_of_events_even_when_the_level_moves_at_once()
    {
        var detector = new ResidualShiftDetector(Features, shortRows: 50, minShift: 0.25, z: 10);

        var declared = Declarations(detector, Residuals(3_000, seed: 4, shiftAt: 100, shift: 3));

        // The step at 100 is the entity's level long before the detector is armed at 500 events.
        Assert.Empty(declared);
    }

    [Fact]
    public void A_missing_feature_is_passed_over_and_the_others_still_tell_the_shift()
    {
        var detector = new ResidualShiftDetector(Features, shortRows: 50, minShift: 0.25, z: 10);
        IEnumerable<double[]> withGaps = Residuals(10_000, seed: 5, shiftAt: 5_000, shift: 3)
            .Select((r, i) => i % 3 == 0 ? [double.NaN, r[1], r[2]] : r);

        var declared = Declarations(detector, withGaps);

        Assert.Equal(2, Assert.Single(declared).Moved[0].Feature);
    }

    [Fact]
    public void The_usual_residual_is_the_entitys_steady_bias_and_zero_where_the_error_only_follows_the_load_cycle_or_noise()
    {
        var detector = new ResidualShiftDetector(Features, shortRows: 100, minShift: 0.25, z: 12);
        Assert.Equal(0, detector.UsualResidual(0));

        Declarations(detector, Residuals(5_000, seed: 6));

        // Feature 0 sits 2.5 residual scales off for this entity; feature 1's error has no bias of its own, only the
        // cycle, which a baseline of a partial cycle would otherwise mistake for one; feature 2 is noise.
        Assert.InRange(detector.UsualResidual(0), 2.3, 2.7);
        Assert.Equal(0, detector.UsualResidual(1));
        Assert.Equal(0, detector.UsualResidual(2));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_their_values()
    {
        var error = Assert.Throws<ArgumentException>(() => new ResidualShiftDetector(Features, shortRows: 1, minShift: 0.25, z: 10));

        Assert.Contains("shortRows ≥ 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 3, 1, 0.25, 10", error.Message, StringComparison.Ordinal);
    }
}
