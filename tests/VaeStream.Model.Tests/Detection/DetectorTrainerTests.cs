using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scoring;
using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Detection;

public sealed class DetectorTrainerTests
{
    private static readonly DetectorOptions Fast = new()
    {
        Network = new NetworkOptions { HiddenSizes = [32, 32], LatentSize = 3 },
        Training = new TrainingOptions { Epochs = 25, BatchSize = 128, LearningRate = 3e-3 },
    };

    public DetectorTrainerTests() => TorchRuntime.Initialize();

    [Fact]
    public void Trained_on_correlated_data_it_separates_injected_anomalies_with_auc_roc_of_at_least_095()
    {
        (FeatureTable train, _) = SyntheticData.Generate(6000, 0, seed: 1);
        (FeatureTable test, bool[] labels) = SyntheticData.Generate(3000, 0.03, seed: 2);

        using AnomalyDetector detector = DetectorTrainer.Train(train, Fast);
        float[] scores = detector.ScoreTable(test).Scores;
        double auc = SyntheticData.AucRoc(scores, labels);
        double flaggedNormal = scores.Where((s, i) => !labels[i] && s > detector.Threshold.Value).Count() / (double)labels.Count(l => !l);

        Assert.True(auc >= 0.95, $"AUC-ROC {auc:F3}");
        Assert.True(flaggedNormal < 0.02, $"{flaggedNormal:P2} of normal rows flagged");
        Assert.True(double.IsFinite(detector.Threshold.Value));
    }

    /// <summary>
    /// Rows with extra noise (sd 1, against 0.05) in their first 70%, as a fleet's busy hours beside its quiet ones. The
    /// tail fits the residual scale and the threshold on the quiet end alone, so it flags the busy rows; rows held out
    /// across the whole span fit them on both. Measured 2026-12-05: tail 10.58% of the rows flagged, spread 0.07%.
    /// </summary>
    [Fact]
    public void A_spread_holdout_calibrates_on_the_whole_span_where_the_tail_sees_only_its_end()
    {
        (FeatureTable rows, _) = SyntheticData.Generate(6000, 0, seed: 6);
        var random = new Random(7);
        int busy = rows.Rows * 7 / 10;
        for (int i = 0; i < busy * SyntheticData.Features; i++)
        {
            rows.Values[i] += (float)SyntheticData.Gaussian(random);
        }

        double FlaggedShare(HoldoutLayout layout)
        {
            DetectorOptions options = Fast with
            {
                Training = Fast.Training with { Holdout = layout },
                Scoring = new ScoringOptions { Kind = ScoreKind.Weighted },
            };
            using AnomalyDetector detector = DetectorTrainer.Train(rows, options);
            return detector.ScoreTable(rows).Scores.Count(s => s > detector.Threshold.Value) / (double)rows.Rows;
        }

        double tail = FlaggedShare(HoldoutLayout.Tail), spread = FlaggedShare(HoldoutLayout.Spread);

        Assert.True(spread < 0.01, $"spread holdout: {spread:P2} of its own training rows flagged (tail: {tail:P2})");
        Assert.True(tail > 0.05, $"tail: {tail:P2} of the rows flagged, spread: {spread:P2}");
    }

    [Fact]
    public void The_same_seed_and_data_give_identical_scores()
    {
        (FeatureTable train, _) = SyntheticData.Generate(1500, 0, seed: 3);
        DetectorOptions options = Fast with { Training = Fast.Training with { Epochs = 3 } };

        using AnomalyDetector first = DetectorTrainer.Train(train, options);
        using AnomalyDetector second = DetectorTrainer.Train(train, options);

        Assert.Equal(first.ScoreTable(train).Scores, second.ScoreTable(train).Scores);
        Assert.Equal(first.Threshold.Value, second.Threshold.Value);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_records_losses()
    {
        (FeatureTable train, _) = SyntheticData.Generate(1500, 0, seed: 4);
        DetectorOptions options = Fast with { Training = Fast.Training with { Epochs = 200, Patience = 2, LearningRate = 0.05 } };

        using AnomalyDetector detector = DetectorTrainer.Train(train, options);
        ModelMetadata m = detector.Metadata;

        Assert.True(m.EpochsRun < 200, $"ran {m.EpochsRun} epochs");
        Assert.Equal(m.EpochsRun, m.ValidationLosses.Length);
        Assert.Equal(m.ValidationLosses.Min(), m.ValidationLosses[m.BestEpoch - 1]);
        Assert.Equal(m.BestEpoch + 2, m.EpochsRun);
    }

    [Theory]
    [InlineData(ScoreKind.Mse, false)]
    [InlineData(ScoreKind.Nll, false)]
    [InlineData(ScoreKind.Nll, true)]
    [InlineData(ScoreKind.Weighted, false)]
    public void Contributions_sum_to_the_score(ScoreKind kind, bool learnVariance)
    {
        (FeatureTable train, _) = SyntheticData.Generate(1000, 0, seed: 5);
        DetectorOptions options = Fast with
        {
            Training = Fast.Training with { Epochs = 2 },
            Scoring = new ScoringOptions { Kind = kind, Samples = 4 },
            Network = Fast.Network with { LearnVariance = learnVariance },
        };

        using AnomalyDetector detector = DetectorTrainer.Train(train, options);
        TableScores scores = detector.ScoreTable(train);

        for (int r = 0; r < 50; r++)
        {
            float sum = scores.Contributions.AsSpan(r * SyntheticData.Features, SyntheticData.Features).ToArray().Sum();
            Assert.Equal(scores.Scores[r], sum, 1e-3f * Math.Max(1, Math.Abs(sum)));
        }
    }
}
