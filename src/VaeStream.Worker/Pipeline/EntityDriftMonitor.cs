using VaeStream.Model.Detection;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Windowing;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// One <see cref="ResidualShiftDetector"/> per entity, fed the live model's residuals of that entity's unflagged
/// events: a host whose level moved for good into the range of the fleet's other hosts raises one entity drift message
/// instead of going unseen. Flagged events stay out, so an incident's own anomalies are not taken for a new level.
/// At most <c>Pipeline:MaxEntities</c> entities are watched; beyond that, the least recently seen is forgotten, as
/// a fleet of short-lived pods would otherwise fill the watch with names never seen again. Pipeline thread only.
/// </summary>
internal sealed class EntityDriftMonitor(int features, PipelineOptions options)
{
    private readonly EntityTracker<ResidualShiftDetector> entities = new(options.MaxEntities,
        () => new ResidualShiftDetector(features, options.EntityDriftRows, options.EntityDriftMinShift, options.EntityDriftFactor));

    private readonly float[] scaled = new float[features];
    private readonly double[] residuals = new double[features];

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

        row.CopyTo(scaled);
        detector.Scaler.Transform(scaled);
        float[]? residualScale = detector.ResidualScale;
        for (int f = 0; f < features; f++)
        {
            // In residual scales, the units the weighted score squares: a tightly predicted feature's move counts more.
            residuals[f] = (scaled[f] - expected[f]) / (residualScale?[f] ?? 1f);
        }

        return entities.Get(entity).Observe(residuals);
    }

    /// <summary>
    /// Moves the model's expected values (in its scaled units) to <paramref name="entity"/>'s own normal: each plus the
    /// entity's usual residual, so an anomaly's <c>expected</c> reads as what this host normally does, not the fleet.
    /// </summary>
    public void ToEntityNormal(string? entity, Span<float> expected, AnomalyDetector detector)
    {
        if (entity is null || !entities.TryGet(entity, out ResidualShiftDetector? state))
        {
            return;
        }

        float[]? residualScale = detector.ResidualScale;
        for (int f = 0; f < expected.Length; f++)
        {
            expected[f] += (float)(state.UsualResidual(f) * (residualScale?[f] ?? 1f));
        }
    }

    /// <summary>
    /// Forgets every entity's baseline: after a drift retrain the model's residuals changed for all of them at once.
    /// </summary>
    public void Reset() => entities.Clear();
}
