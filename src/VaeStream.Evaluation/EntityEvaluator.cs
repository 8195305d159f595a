using System.Diagnostics;
using VaeStream.Evaluation.Baselines;
using VaeStream.Evaluation.Datasets;
using VaeStream.Evaluation.Metrics;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Training;

namespace VaeStream.Evaluation;

/// <summary>Scores of one evaluated entity, kept for plots.</summary>
/// <param name="Scores">Test scores in row order.</param>
/// <param name="Labels">Test labels.</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="StreamingScores">The streaming mode's scores, each by the model live when its row arrived.</param>
/// <param name="StreamingThresholds">The threshold each row met in streaming mode.</param>
/// <param name="StreamingPredicted">The streaming mode's flags (causal threshold, drift retrains), row by row: what the worker would flag.</param>
public sealed record EntityTrace(float[] Scores, bool[] Labels, double Threshold, float[] StreamingScores, double[] StreamingThresholds, bool[] StreamingPredicted);

/// <summary>
/// One entity's evaluation: the VAE and the <c>pca_rw</c> baseline on the same rows, each in batch mode (the
/// threshold fitted on training scores) and in streaming mode (<see cref="StreamingReplay"/>), and the VAE's trace.
/// </summary>
/// <param name="Vae">The VAE's figures, batch mode.</param>
/// <param name="VaeStreaming">The VAE's figures, streaming mode: same scores, causal threshold.</param>
/// <param name="Baseline">The PCA baseline's figures, batch mode.</param>
/// <param name="BaselineStreaming">The PCA baseline's figures, streaming mode.</param>
/// <param name="Trace">The VAE's scores, for plots.</param>
/// <param name="Profile">The settings profile the entity's width chose.</param>
public sealed record EntityOutcome(EntityEvaluation Vae, EntityEvaluation VaeStreaming, EntityEvaluation Baseline, EntityEvaluation BaselineStreaming,
    EntityTrace Trace, DetectorProfile Profile);

/// <summary>
/// Runs the fair protocol on one entity: fit scaler, model and threshold on its training file only, score every
/// test row in order, then compare with the labels. The PCA baseline runs on the same rows beside it, so each
/// report measures the VAE against the bar it has to clear.
/// </summary>
public static class EntityEvaluator
{
    /// <summary>The baseline's threshold: the 99.5% quantile of its held-out tail's scores, as in the data README.</summary>
    public const double BaselineQuantile = 0.995;

    /// <summary>Evaluates one entity with the settings' profile for its width and optional schema (CSV columns otherwise).</summary>
    public static EntityOutcome Evaluate(LabelledEntity entity, DetectorSettings settings,
        FeatureSchema? schema = null, IProgress<EpochResult>? progress = null, CancellationToken cancellationToken = default)
    {
        (FeatureTable train, DetectorProfile profile) = DetectorTrainer.ReadTrainingRows(entity.TrainPath, schema, settings);
        DetectorOptions options = profile.Options;

        var clock = Stopwatch.StartNew();
        using AnomalyDetector detector = DetectorTrainer.Train(train, options, progress: progress, cancellationToken: cancellationToken);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        FeatureTable test = FeatureTable.Read(entity.TestPath, detector.Schema);
        bool[] labels = LabelledEntity.ReadLabels(entity.LabelPath);
        if (labels.Length != test.Rows)
        {
            throw new FormatException($"{entity.Name}: {test.Rows} test rows but {labels.Length} labels in '{entity.LabelPath}'.");
        }

        // TSB-AD's window: the period of the first feature of the test series.
        int features = test.Schema.FeatureCount;
        int window = PeriodWindow.Of([.. Enumerable.Range(0, test.Rows).Select(r => test.Values[r * features])]);

        clock.Restart();
        float[] scores = detector.ScoreTable(test).Scores;
        double scoreSeconds = clock.Elapsed.TotalSeconds;
        double threshold = detector.Threshold.Value;
        EntityEvaluation Evaluate(string name, float[] s, bool[] predicted, double t, double trainS, double scoreS) =>
            EntityEvaluation.Of(entity.Name, name, train.Rows, s, predicted, t, labels, window, trainS, scoreS);

        EntityEvaluation vae = Evaluate("vae", scores, Above(scores, threshold), threshold, trainSeconds, scoreSeconds);
        // Streaming mode: the same model and its calibration tail, then the test stream in order, retraining on drift.
        ReplayResult replay = StreamingReplay.Replay(train, test, new VaeReplayDetector(detector, train),
            window => VaeReplayDetector.Train(window.Rows, options), options.Threshold);
        EntityEvaluation vaeStreaming = Evaluate("vae", replay.Severity, replay.Predicted, replay.FinalThreshold, trainSeconds, scoreSeconds)
            with { Drifts = replay.DriftsAt.Count };

        clock.Restart();
        PcaBaseline pca = PcaBaseline.Fit(train.Values, features);
        double pcaTrainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        float[] pcaScores = pca.Score(test.Values);
        double pcaScoreSeconds = clock.Elapsed.TotalSeconds;
        var pcaDetector = new PcaReplayDetector(pca);
        double pcaThreshold = pcaDetector.Threshold;
        EntityEvaluation baseline = Evaluate("pca_rw", pcaScores, Above(pcaScores, pcaThreshold), pcaThreshold, pcaTrainSeconds, pcaScoreSeconds);
        ReplayResult pcaReplay = StreamingReplay.Replay(train, test, pcaDetector, window => PcaReplayDetector.Train(window.Rows), PerRow(options));
        EntityEvaluation baselineStreaming = Evaluate("pca_rw", pcaReplay.Severity, pcaReplay.Predicted, pcaReplay.FinalThreshold, pcaTrainSeconds, pcaScoreSeconds)
            with { Drifts = pcaReplay.DriftsAt.Count };
        return new EntityOutcome(vae, vaeStreaming, baseline, baselineStreaming, new EntityTrace(scores, labels, threshold, replay.Scores, replay.Thresholds, replay.Predicted), profile);
    }

    private static bool[] Above(float[] scores, double threshold) => [.. scores.Select(s => s > threshold)];

    // The baseline scores rows one by one. The VAE's risk is per row of a score averaged over k rows, where one
    // extreme row stays above the threshold for about k rows; the baseline gets the per-row risk that matches
    // (risk ÷ k, for SPOT) and the same drift limit (factor × k), so its figures do not move with the VAE's smoothing.
    private static ThresholdOptions PerRow(DetectorOptions options)
    {
        int k = options.Scoring.Smoothing;
        ThresholdOptions threshold = options.Threshold;
        return threshold with { Risk = threshold.Risk / k, Drift = threshold.Drift with { Factor = threshold.Drift.Factor * k } };
    }
}
