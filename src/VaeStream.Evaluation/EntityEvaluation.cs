using VaeStream.Evaluation.Metrics;

namespace VaeStream.Evaluation;

/// <summary>The protocol's figures for one entity.</summary>
/// <param name="Name">Entity name.</param>
/// <param name="TrainRows">Rows the detector was fitted on.</param>
/// <param name="TestRows">Rows scored.</param>
/// <param name="AnomalyRate">Share of test rows labelled anomalous.</param>
/// <param name="FlaggedRate">Share of test rows above the threshold.</param>
/// <param name="Threshold">The label-free threshold used.</param>
/// <param name="Point">Point-wise precision, recall, F1.</param>
/// <param name="Adjusted">Point-adjusted precision, recall, F1 on the same predictions.</param>
/// <param name="AveragePrecision">AUC-PR.</param>
/// <param name="TrainSeconds">Training wall time.</param>
/// <param name="ScoreSeconds">Test scoring wall time.</param>
public sealed record EntityEvaluation(string Name, int TrainRows, int TestRows, double AnomalyRate, double FlaggedRate, double Threshold,
    PrecisionRecall Point, PrecisionRecall Adjusted, double AveragePrecision, double TrainSeconds, double ScoreSeconds);
