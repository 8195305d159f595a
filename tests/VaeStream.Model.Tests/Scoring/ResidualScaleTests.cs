using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scoring;
using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Scoring;

public sealed class ResidualScaleTests
{
    // Ten features: f0..f7 mix two latent factors (so each is a tight function of the others), n8 and n9 are
    // independent noise that a two-dimensional latent space, spent on the factors, cannot reconstruct.
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns([.. Enumerable.Range(0, 8).Select(i => $"f{i}"), "n8", "n9"]);

    public ResidualScaleTests() => TorchRuntime.Initialize();

    private static float[] Row(double a, double b, double n8 = 0, double n9 = 0) =>
        [.. Enumerable.Range(0, 8).Select(f => (float)(Math.Cos(f) * a + Math.Sin(f) * b)), (float)n8, (float)n9];

    private static FeatureTable Normal(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            float[] row = Row(SyntheticData.Gaussian(random), SyntheticData.Gaussian(random), SyntheticData.Gaussian(random), SyntheticData.Gaussian(random));
            for (int f = 0; f < 8; f++)
            {
                row[f] += (float)(0.02 * SyntheticData.Gaussian(random));
            }

            values.AddRange(row);
        }

        return new FeatureTable(Schema, [.. values], null);
    }

    private static AnomalyDetector Train(ScoreKind kind) => DetectorTrainer.Train(Normal(6000, seed: 1), new DetectorOptions
    {
        Network = new NetworkOptions { HiddenSizes = [32, 32], LatentSize = 2 },
        Training = new TrainingOptions { Epochs = 30, BatchSize = 128, LearningRate = 3e-3, Beta = 0.1 },
        Scoring = new ScoringOptions { Kind = kind },
    });

    [Fact]
    public void A_broken_relation_outscores_large_consistent_moves_only_when_errors_are_weighted()
    {
        float[] normal = Row(0.5, -0.5);
        float[] broken = Row(0.5, -0.5);
        broken[3] += 0.8f; // f3 leaves the other seven by 0.8 of its spread, well inside its own range
        float[] alongTheFactors = Row(2.0, -1.5); // far out, but every relation holds
        float[] noisy = Row(0.5, -0.5, n8: 2.5); // a loosely reconstructed feature at 2.5 spreads
        var test = new FeatureTable(Schema, [.. normal, .. broken, .. alongTheFactors, .. noisy], null);
        using AnomalyDetector weighted = Train(ScoreKind.Weighted);
        using AnomalyDetector plain = Train(ScoreKind.Mse);

        float[] w = weighted.ScoreTable(test).Scores;
        float[] p = plain.ScoreTable(test).Scores;
        string scales = string.Join(", ", weighted.ResidualScale!.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(w[1] > w[2] && w[1] > w[3], $"weighted: broken {w[1]:G3}, along the factors {w[2]:G3}, noisy {w[3]:G3}; scales {scales}");
        Assert.True(w[1] > weighted.Threshold.Value && w[0] < weighted.Threshold.Value,
            $"weighted: broken {w[1]:G3}, normal {w[0]:G3}, threshold {weighted.Threshold.Value:G3}; scales {scales}");
        Assert.True(p[1] < p[3], $"plain squared error: broken {p[1]:G3}, noisy {p[3]:G3} (the case weighting exists for)");
        Assert.True(weighted.ResidualScale![3] < 0.2f * weighted.ResidualScale[8], $"scales {scales}");
    }

    [Fact]
    public void The_scale_is_the_winsorized_root_mean_square_error_with_a_floor_relative_to_the_median_feature()
    {
        // Feature 0: errors ±1, one outlier of 100 (winsorized away); feature 1: exact (floored); feature 2: errors ±2.
        const int rows = 200;
        float[] actual = new float[rows * 3];
        float[] reconstructed = new float[rows * 3];
        for (int r = 0; r < rows; r++)
        {
            actual[r * 3] = r == 0 ? 100 : (r % 2 == 0 ? 1 : -1);
            actual[r * 3 + 2] = r % 2 == 0 ? 2 : -2;
        }

        float[] scale = ResidualScale.Fit(actual, reconstructed, rows, 3, relativeFloor: 0.1f);

        Assert.Equal(1.0, scale[0], 2);
        Assert.Equal(0.1f * scale[0], scale[1], 4);
        Assert.Equal(2.0, scale[2], 4);
    }
}
