using VaeStream.Evaluation.Baselines;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Scaling;

namespace VaeStream.Evaluation;

/// <summary>The VAE detector for the streaming replay; disposing it disposes the detector.</summary>
internal sealed class VaeReplayDetector : IReplayDetector
{
    private readonly AnomalyDetector detector;

    public VaeReplayDetector(AnomalyDetector detector, FeatureTable trainedOn)
    {
        this.detector = detector;
        float[] scores = detector.ScoreTable(trainedOn).Scores;
        Calibration = [.. scores[^detector.Options.Training.ValidationRows(trainedOn.Rows)..].Select(s => (double)s)];
    }

    public int History => detector.Schema.Window - 1;

    public double Threshold => detector.Threshold.Value;

    public IReadOnlyList<double> Calibration { get; }

    public static VaeReplayDetector Train(FeatureTable rows, DetectorOptions options) => new(DetectorTrainer.Train(rows, options), rows);

    public float[] Score(FeatureTable rows) => detector.ScoreTable(rows).Scores;

    public void Dispose() => detector.Dispose();
}

/// <summary>The pca_rw baseline for the streaming replay.</summary>
internal sealed class PcaReplayDetector(PcaBaseline pca) : IReplayDetector
{
    public int History => 0;

    public double Threshold { get; } = Quantiles.Of(pca.TailScores, EntityEvaluator.BaselineQuantile);

    public IReadOnlyList<double> Calibration => pca.TailScores;

    public static PcaReplayDetector Train(FeatureTable rows) => new(PcaBaseline.Fit(rows.Values, rows.Schema.FeatureCount));

    public float[] Score(FeatureTable rows) => pca.Score(rows.Values);

    public void Dispose()
    {
        // Managed arrays only.
    }
}
