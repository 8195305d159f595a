using System.Diagnostics;
using VaeStream.Evaluation.Datasets;
using VaeStream.Evaluation.Metrics;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Training;

namespace VaeStream.Evaluation;

/// <summary>Scores of one evaluated entity, kept for plots.</summary>
/// <param name="Scores">Test scores in row order.</param>
/// <param name="Labels">Test labels.</param>
/// <param name="Threshold">The threshold.</param>
public sealed record EntityTrace(float[] Scores, bool[] Labels, double Threshold);

/// <summary>
/// Runs the fair protocol on one entity: fit scaler, model and threshold on its training file only, score every
/// test row in order, then compare with the labels.
/// </summary>
public static class EntityEvaluator
{
    /// <summary>Evaluates one entity with the given options and optional schema (CSV columns otherwise).</summary>
    public static (EntityEvaluation Result, EntityTrace Trace) Evaluate(LabelledEntity entity, DetectorOptions options,
        FeatureSchema? schema = null, IProgress<EpochResult>? progress = null, CancellationToken cancellationToken = default)
    {
        FeatureTable train = DetectorTrainer.ReadTrainingRows(entity.TrainPath, schema, options);

        var clock = Stopwatch.StartNew();
        using AnomalyDetector detector = DetectorTrainer.Train(train, options, progress: progress, cancellationToken: cancellationToken);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        FeatureTable test = FeatureTable.Read(entity.TestPath, detector.Schema);
        bool[] labels = LabelledEntity.ReadLabels(entity.LabelPath);
        if (labels.Length != test.Rows)
        {
            throw new FormatException($"{entity.Name}: {test.Rows} test rows but {labels.Length} labels in '{entity.LabelPath}'.");
        }

        clock.Restart();
        float[] scores = detector.ScoreTable(test).Scores;
        double scoreSeconds = clock.Elapsed.TotalSeconds;
        double threshold = detector.Threshold.Value;
        bool[] predicted = scores.Select(s => s > threshold).ToArray();

        var result = new EntityEvaluation(
            entity.Name,
            train.Rows,
            test.Rows,
            labels.Count(l => l) / (double)labels.Length,
            predicted.Count(p => p) / (double)predicted.Length,
            threshold,
            DetectionMetrics.PointWise(predicted, labels),
            DetectionMetrics.PointAdjusted(predicted, labels),
            DetectionMetrics.AveragePrecision(scores, labels),
            trainSeconds,
            scoreSeconds);
        return (result, new EntityTrace(scores, labels, threshold));
    }
}
