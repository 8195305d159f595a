using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Training;
using Xunit.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Tests.Training;

/// <summary>
/// The trimmed loss of the worker's warm-up screen: the rows of largest loss do not train the network, so a repeated
/// fault in unvetted training rows stays unlearned and scores far above the threshold.
/// </summary>
public sealed class TrimmedLossTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["load", "cpu", "p50", "p99"]);
    private readonly ITestOutputHelper output;

    public TrimmedLossTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.Initialize();
    }

    [Fact]
    public void The_rows_of_largest_loss_are_left_out_of_the_mean()
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor input = zeros(4, 2);
        Tensor reconstruction = tensor(new float[] { 1, 0, 1, 0, 1, 0, 10, 0 }).reshape(4, 2);
        var output = new VaeOutput(reconstruction, null, zeros(4, 1), zeros(4, 1));

        // Each row's loss is half its squared error (the latent terms are 0): 0.5, 0.5, 0.5 and 50.
        Assert.Equal((0.5 * 3 + 50) / 4, VaeLoss.Compute(output, input, beta: 1).item<float>(), 4);
        Assert.Equal(0.5, VaeLoss.Compute(output, input, beta: 1, trimShare: 0.25).item<float>(), 4);
        Assert.Equal((0.5 * 3 + 50) / 4, VaeLoss.Compute(output, input, beta: 1, trimShare: 0.2).item<float>(), 4);
    }

    [Fact]
    public void A_screen_with_a_trimmed_loss_flags_a_repeated_fault_in_its_own_training_rows()
    {
        FeatureTable rows = WithLatencySpikes(10_000, spikeEvery: 100, seed: 3);
        using AnomalyDetector plain = DetectorTrainer.Train(rows, Options(trimShare: 0));
        using AnomalyDetector screen = DetectorTrainer.Train(rows, Options(trimShare: 0.02));

        double plainCaught = SpikesFlagged(plain, rows), screenCaught = SpikesFlagged(screen, rows);
        output.WriteLine($"spikes flagged in the training rows: fitted on every row {plainCaught:P0}, trimmed {screenCaught:P0}");
        Assert.True(screenCaught >= 0.95, $"the trimmed screen should flag the spikes it was trained on; it flagged {screenCaught:P0}");
        Assert.True(screenCaught > plainCaught, $"trimming should flag more of the spikes than fitting every row; got {screenCaught:P0} against {plainCaught:P0}");
    }

    private static DetectorOptions Options(double trimShare) => new()
    {
        Network = new NetworkOptions { HiddenSizes = [64, 64], LatentSize = 3 },
        Training = new TrainingOptions { Epochs = 30, BatchSize = 256, Beta = 1.0, MinStepsPerEpoch = 16, TrimShare = trimShare },
    };

    private static double SpikesFlagged(AnomalyDetector detector, FeatureTable rows)
    {
        float[] scores = detector.ScoreTable(rows).Scores;
        int[] spikes = [.. Enumerable.Range(0, rows.Rows).Where(r => rows.Row(r)[3] > 300)];
        return spikes.Count(r => scores[r] > detector.Threshold.Value) / (double)spikes.Length;
    }

    // Latency follows load; one row in spikeEvery is a latency spike (p50 × 3, p99 × 6–10), as the demo injects.
    private static FeatureTable WithLatencySpikes(int count, int spikeEvery, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count * 4];
        for (int r = 0; r < count; r++)
        {
            double load = 0.5 + 0.3 * Math.Sin(r * 2 * Math.PI / 1440) + 0.03 * SyntheticData.Gaussian(random);
            double p50 = 20 + 30 * load + 1.5 * SyntheticData.Gaussian(random);
            double p99 = 2.5 * p50 + 15 + 4 * SyntheticData.Gaussian(random);
            if (r % spikeEvery == spikeEvery / 2)
            {
                p99 *= 6 + 4 * random.NextDouble();
                p50 *= 3;
            }

            values[r * 4] = (float)load;
            values[r * 4 + 1] = (float)(15 + 70 * load + 2.5 * SyntheticData.Gaussian(random));
            values[r * 4 + 2] = (float)p50;
            values[r * 4 + 3] = (float)p99;
        }

        return new FeatureTable(Schema, values, null);
    }
}
