using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation;

/// <summary>The protocol's figures for one entity and one detector.</summary>
/// <param name="Name">Entity name.</param>
/// <param name="Detector">Which detector: <c>vae</c>, or the <c>pca_rw</c> baseline.</param>
/// <param name="TrainRows">Rows the detector was fitted on.</param>
/// <param name="TestRows">Rows scored.</param>
/// <param name="AnomalyRate">Share of test rows labelled anomalous.</param>
/// <param name="FlaggedRate">Share of test rows above the threshold.</param>
/// <param name="Threshold">The label-free threshold used.</param>
/// <param name="Point">Point-wise precision, recall, F1.</param>
/// <param name="Adjusted">Point-adjusted precision, recall, F1 on the same predictions.</param>
/// <param name="AveragePrecision">AUC-PR.</param>
/// <param name="VusPr">VUS-PR (TSB-AD's "opt" version, 250 thresholds, the period estimate as the window).</param>
/// <param name="Segments">Labelled segments flagged at least once, and the median delay to the first flag.</param>
/// <param name="TrainSeconds">Training wall time.</param>
/// <param name="ScoreSeconds">Test scoring wall time.</param>
/// <param name="Drifts">Streaming mode: drifts declared by the alarm-rate guard, each followed by a retrain.</param>
public sealed record EntityEvaluation(string Name, string Detector, int TrainRows, int TestRows, double AnomalyRate, double FlaggedRate,
    double Threshold, PrecisionRecall Point, PrecisionRecall Adjusted, double AveragePrecision, double VusPr, SegmentDetection Segments,
    double TrainSeconds, double ScoreSeconds, int Drifts = 0)
{
    /// <summary>
    /// Scores every figure of one detector's <paramref name="predicted"/> rows on one entity; the threshold-free
    /// figures come from its <paramref name="scores"/>.
    /// </summary>
    public static EntityEvaluation Of(string name, string detector, int trainRows, float[] scores, bool[] predicted, double threshold,
        bool[] labels, int vusWindow, double trainSeconds, double scoreSeconds)
    {
        return new EntityEvaluation(
            name,
            detector,
            trainRows,
            scores.Length,
            labels.Count(l => l) / (double)labels.Length,
            predicted.Count(p => p) / (double)predicted.Length,
            threshold,
            DetectionMetrics.PointWise(predicted, labels),
            DetectionMetrics.PointAdjusted(predicted, labels),
            DetectionMetrics.AveragePrecision(scores, labels),
            VolumeUnderSurface.VusPr(scores, labels, vusWindow),
            SegmentDetection.Of(predicted, labels),
            trainSeconds,
            scoreSeconds);
    }
}
