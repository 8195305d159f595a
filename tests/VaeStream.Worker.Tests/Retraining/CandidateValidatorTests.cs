using VaeStream.Model;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Training;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>
/// A drift retrain's candidate: it must end the storm on the new level, and it must not be refused merely because the
/// newest rows it is checked on are still at the old level, where the live model fits better.
/// </summary>
public sealed class CandidateValidatorTests
{
    private static readonly DetectorOptions Fast = new()
    {
        Network = new NetworkOptions { HiddenSizes = [32, 32], LatentSize = 2 },
        Training = new TrainingOptions { Epochs = 15, BatchSize = 128, LearningRate = 3e-3 },
    };

    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["load", "cpu", "mem", "requests"]);

    public CandidateValidatorTests() => TorchRuntime.Initialize();

    // Four metrics driven by one load; from the shift on, memory sits `memoryShift` higher.
    private static FeatureTable Rows(int count, int seed, double memoryShift)
    {
        var random = new Random(seed);
        double Noise(double sd) => sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        float[] values = new float[count * 4];
        for (int i = 0; i < count; i++)
        {
            double load = 0.5 + 0.3 * Math.Sin(2 * Math.PI * i / 500) + Noise(0.03);
            values[i * 4] = (float)load;
            values[i * 4 + 1] = (float)(10 + 70 * load + Noise(2));
            values[i * 4 + 2] = (float)(40 + 20 * load + memoryShift + Noise(1));
            values[i * 4 + 3] = (float)(200 + 900 * load + Noise(20));
        }

        return new FeatureTable(Schema, values, null);
    }

    private static FeatureTable Concat(params FeatureTable[] tables) =>
        new(Schema, [.. tables.SelectMany(t => t.Values)], null);

    [Fact]
    public void A_candidate_that_learned_both_levels_passes_on_old_level_rows_and_one_that_missed_the_new_level_is_refused_by_its_alarm_rate()
    {
        using AnomalyDetector live = DetectorTrainer.Train(Rows(3_000, seed: 1, memoryShift: 0), Fast);
        FeatureTable oldLevel = Rows(1_000, seed: 2, memoryShift: 0);
        FeatureTable newLevel = Rows(1_000, seed: 3, memoryShift: 40);
        using AnomalyDetector bothLevels = DetectorTrainer.Train(Concat(Rows(3_000, seed: 4, memoryShift: 40), Rows(3_000, seed: 5, memoryShift: 0)), Fast, version: 2);
        using AnomalyDetector oldOnly = DetectorTrainer.Train(Rows(3_000, seed: 6, memoryShift: 0), Fast, version: 2);

        // Newest rows still at the old level, as when a lagging partition's hosts have not crossed the shift yet.
        // The live model, fitted to the old level alone, reconstructs those rows far better; the scheduled retrain's
        // comparison would refuse the candidate for it.
        Assert.NotNull(CandidateValidator.Check(bothLevels, live, oldLevel, margin: 1.0));
        Assert.Null(CandidateValidator.CheckDrift(bothLevels, oldLevel));
        Assert.Null(CandidateValidator.CheckDrift(bothLevels, newLevel));
        string? refused = CandidateValidator.CheckDrift(oldOnly, newLevel);
        Assert.NotNull(refused);
        Assert.Contains("above the drift guard's limit", refused, StringComparison.Ordinal);
    }
}
