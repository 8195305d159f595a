using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Training;
using Xunit.Abstractions;

namespace VaeStream.Model.Tests.Detection;

/// <summary>
/// Retrains in a row, each on the rows its predecessor's window admitted, as the worker's scheduled retrains are. A
/// window cut at the threshold loses the normal tail each time, and the false alarm rate climbs with every retrain; a
/// window that keeps rows up to twice the threshold holds it near the risk.
/// </summary>
public sealed class WindowAdmissionTests
{
    private const double Risk = 0.01;
    private const int Retrains = 5;
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["load", "cpu", "latency", "requests"]);

    private static readonly DetectorOptions Options = new()
    {
        Network = new NetworkOptions { HiddenSizes = [32, 32], LatentSize = 2 },
        Training = new TrainingOptions { Epochs = 15, BatchSize = 128, LearningRate = 3e-3, Beta = 0.5 },
        Threshold = new ThresholdOptions { Method = ThresholdMethod.Pot, Risk = Risk, InitialQuantile = 0.9 },
    };

    private readonly ITestOutputHelper output;

    public WindowAdmissionTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.Initialize();
    }

    [Fact]
    public void Rows_up_to_the_factor_are_admitted_flagged_or_not()
    {
        Assert.True(WindowAdmission.Admits(9.9, 10, 1.0));
        Assert.False(WindowAdmission.Admits(10.1, 10, 1.0));
        Assert.True(WindowAdmission.Admits(19.9, 10, WindowAdmission.DefaultFactor));
        Assert.False(WindowAdmission.Admits(20.1, 10, WindowAdmission.DefaultFactor));
    }

    [Fact]
    public void Retraining_on_a_window_cut_at_the_threshold_ratchets_false_alarms_up_and_the_default_window_does_not()
    {
        FeatureTable holdOut = Normal(20_000, seed: 99);
        double[] cut = FlaggedShares(1.0, holdOut);
        double[] kept = FlaggedShares(WindowAdmission.DefaultFactor, holdOut);
        output.WriteLine($"risk {Risk:P1}; flagged share of anomaly-free rows per model, window cut at the threshold: " +
            string.Join(" ", cut.Select(s => s.ToString("P2"))) + "; up to 2 × the threshold: " + string.Join(" ", kept.Select(s => s.ToString("P2"))));

        // One POT fit on a few thousand rows is noisy, so the retrained models are judged by their mean.
        double cutMean = cut[1..].Average(), keptMean = kept[1..].Average();
        Assert.True(cut[^1] > 2 * cut[0], $"a window cut at the threshold should raise the false alarms over {Retrains} retrains; got {cut[0]:P2} then {cut[^1]:P2}");
        Assert.True(cutMean > 1.5 * keptMean, $"the retrains on a window cut at the threshold should flag more than those on the default window; got {cutMean:P2} and {keptMean:P2}");
        Assert.True(keptMean < 2 * Risk, $"the default window's retrains should keep false alarms near the risk {Risk:P1}; got {keptMean:P2} on average");
    }

    // The flagged share on anomaly-free rows of the first model and of each retrain, each trained on fresh normal
    // rows that the model before it admitted with the factor.
    private static double[] FlaggedShares(double factor, FeatureTable holdOut)
    {
        var shares = new List<double>();
        AnomalyDetector detector = DetectorTrainer.Train(Normal(10_000, seed: 1), Options);
        try
        {
            shares.Add(FlaggedShare(detector, holdOut));
            for (int retrain = 1; retrain <= Retrains; retrain++)
            {
                FeatureTable traffic = Normal(10_000, seed: 1 + retrain);
                float[] scores = detector.ScoreTable(traffic).Scores;
                int[] admitted = [.. Enumerable.Range(0, traffic.Rows).Where(r => WindowAdmission.Admits(scores[r], detector.Threshold.Value, factor))];
                AnomalyDetector next = DetectorTrainer.Train(traffic.SelectRows(admitted), Options, version: retrain + 1);
                detector.Dispose();
                detector = next;
                shares.Add(FlaggedShare(detector, holdOut));
            }
        }
        finally
        {
            detector.Dispose();
        }

        return [.. shares];
    }

    private static double FlaggedShare(AnomalyDetector detector, FeatureTable rows) =>
        detector.ScoreTable(rows).Scores.Count(s => s > detector.Threshold.Value) / (double)rows.Rows;

    // Load drives cpu, latency and requests; each has its own noise, with a heavier tail on latency, as in operations.
    private static FeatureTable Normal(int rows, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            double load = 0.5 + 0.3 * Math.Sin(r * 2 * Math.PI / 1440) + 0.05 * SyntheticData.Gaussian(random);
            values[r * 4] = (float)load;
            values[r * 4 + 1] = (float)(15 + 70 * load + 2.5 * SyntheticData.Gaussian(random));
            values[r * 4 + 2] = (float)(20 + 30 * load + 1.5 * SyntheticData.Gaussian(random) * (1 + 0.5 * Math.Abs(SyntheticData.Gaussian(random))));
            values[r * 4 + 3] = (float)(200 + 900 * load + 25 * SyntheticData.Gaussian(random));
        }

        return new FeatureTable(Schema, values, null);
    }
}
