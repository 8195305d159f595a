using VaeStream.Model.Detection;
using VaeStream.Model.Thresholds;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// One <see cref="ResidualShiftDetector"/> per entity, fed the live model's residuals of that entity's unflagged
/// events: a host whose level moved for good into the range of the fleet's other hosts raises one entity drift message
/// instead of going unseen. Flagged events stay out, so an incident's own anomalies are not taken for a new level.
/// At most <c>maxEntities</c> entities are watched; later ones are not. Pipeline thread only.
/// </summary>
internal sealed class EntityDriftMonitor(PipelineOptions options)
{
    private readonly Dictionary<string, ResidualShiftDetector> entities = new(StringComparer.Ordinal);
    private double[] residuals = [];

    /// <summary>Entities watched.</summary>
    public int Tracked => entities.Count;

    /// <summary>
    /// Takes one unflagged event: <paramref name="row"/> as extracted, <paramref name="expected"/> the model's
    /// expected values in its scaled units. The features that moved, largest first, when this event declares a
    /// shift of its entity; otherwise null.
    /// </summary>
    public IReadOnlyList<(int Feature, double Shift)>? Observe(string? entity, ReadOnlySpan<float> row, ReadOnlySpan<float> expected, AnomalyDetector detector)
    {
        if (entity is null)
        {
            return null;
        }

        if (!entities.TryGetValue(entity, out ResidualShiftDetector? state))
        {
            if (entities.Count >= options.MaxEntities)
            {
                return null;
            }

            entities[entity] = state = new ResidualShiftDetector(row.Length, options.EntityDriftRows, options.EntityDriftMinShift, options.EntityDriftFactor);
        }

        if (residuals.Length != row.Length)
        {
            residuals = new double[row.Length];
        }

        float[] center = detector.Scaler.Center, scale = detector.Scaler.Scale;
        float[]? residualScale = detector.ResidualScale;
        for (int f = 0; f < row.Length; f++)
        {
            // In residual scales, the units the weighted score squares: a tightly predicted feature's move counts more.
            double scaled = Math.Clamp((row[f] - center[f]) / scale[f], -detector.Scaler.Clip, detector.Scaler.Clip);
            residuals[f] = (scaled - expected[f]) / (residualScale?[f] ?? 1f);
        }

        return state.Observe(residuals);
    }

    /// <summary>
    /// Forgets every entity's baseline: after a drift retrain the model's residuals changed for all of them at once.
    /// </summary>
    public void Reset() => entities.Clear();
}
