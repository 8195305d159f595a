using VaeStream.Evaluation.Baselines;

namespace VaeStream.Evaluation.Tests.Baselines;

public sealed class PcaBaselineTests
{
    // Four features driven by one factor t, each with a little noise of its own.
    private static float[] OneFactor(int rows, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            double t = random.NextDouble() * 2 - 1;
            for (int f = 0; f < 4; f++)
            {
                values[r * 4 + f] = (float)((f + 1) * t + 0.01 * (random.NextDouble() - 0.5));
            }
        }

        return values;
    }

    [Fact]
    public void One_factor_needs_one_component_and_a_row_off_its_line_scores_far_above_one_on_it()
    {
        PcaBaseline pca = PcaBaseline.Fit(OneFactor(2000, seed: 1), features: 4);

        float[] scores = pca.Score([0.5f, 1.0f, 1.5f, 2.0f, /* off the line */ 0.5f, 1.0f, 1.5f, -2.0f]);

        Assert.Equal(1, pca.Components);
        Assert.True(scores[1] > 1000 * scores[0], $"on the line {scores[0]:G3}, off it {scores[1]:G3}");
        Assert.Equal(400, pca.TailScores.Length);
    }

    [Fact]
    public void Two_independent_factors_of_equal_weight_need_two_components()
    {
        var random = new Random(2);
        float[] values = new float[3000 * 4];
        for (int r = 0; r < 3000; r++)
        {
            double a = random.NextDouble() - 0.5, b = random.NextDouble() - 0.5;
            values[r * 4] = (float)a;
            values[r * 4 + 1] = (float)(a + 0.001 * random.NextDouble());
            values[r * 4 + 2] = (float)b;
            values[r * 4 + 3] = (float)(b + 0.001 * random.NextDouble());
        }

        Assert.Equal(2, PcaBaseline.Fit(values, features: 4).Components);
    }
}
