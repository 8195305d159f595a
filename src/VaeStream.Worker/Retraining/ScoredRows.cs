using VaeStream.Model.Features;

namespace VaeStream.Worker.Retraining;

/// <summary>Window rows and, one per row, its score ÷ the threshold in force when it was scored.</summary>
internal sealed record ScoredRows(FeatureTable Rows, float[] RelativeScores);
