using VaeStream.Model.Features;
using VaeStream.Model.Scaling;

namespace VaeStream.Model.Windowing;

/// <summary>
/// Turns an extracted row into a model input: fills allowed missing values (training mean, or the entity's last
/// value), scales, and prepends the entity's last W−1 scaled rows. Offline files and the streaming worker both go
/// through here, so a model sees the same input either way. It also smooths each entity's scores
/// (<see cref="Smooth"/>), so that the per-entity state has one home and one bound. Not thread-safe; it holds
/// per-entity state.
/// </summary>
public sealed class RowPreparer
{
    private const string SingleEntity = "";

    private readonly FeatureSchema schema;
    private readonly EntityTracker<EntityHistory> entities;
    private FeatureScaler scaler;
    private float[] means;
    private int smoothing;
    private int generation;

    /// <summary>
    /// Creates a preparer that tracks at most <paramref name="maxEntities"/> entities and averages each entity's
    /// scores over its last <paramref name="smoothing"/> rows (1: no averaging).
    /// </summary>
    public RowPreparer(FeatureSchema schema, FeatureScaler scaler, float[] imputationMeans, int maxEntities = 100_000, int smoothing = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(smoothing, 1);
        this.schema = schema;
        this.scaler = scaler;
        means = imputationMeans;
        this.smoothing = smoothing;
        entities = new EntityTracker<EntityHistory>(maxEntities, () => new EntityHistory(schema.FeatureCount, schema.Window));
    }

    /// <summary>Entities evicted to keep memory bounded.</summary>
    public long Evictions => entities.Evictions;

    /// <summary>Entities whose history is held.</summary>
    public int TrackedEntities => entities.Count;

    /// <summary>
    /// Fills <paramref name="row"/>'s missing values in place (so callers can report them), then writes the
    /// model input (W × features) into <paramref name="modelInput"/>.
    /// </summary>
    public void Prepare(string? entityKey, Span<float> row, Span<float> modelInput)
    {
        EntityHistory history = entities.Get(entityKey ?? SingleEntity);
        for (int f = 0; f < row.Length; f++)
        {
            if (float.IsNaN(row[f]))
            {
                float last = history.LastValues[f];
                row[f] = schema.Features[f].Missing == MissingValuePolicy.CarryForward && !float.IsNaN(last) ? last : means[f];
            }

            history.LastValues[f] = row[f];
        }

        history.AssembleAndPush(row, modelInput);
        for (int slot = 0; slot < schema.Window; slot++)
        {
            scaler.Transform(modelInput.Slice(slot * row.Length, row.Length));
        }
    }

    /// <summary>
    /// Replaces a row's raw <paramref name="score"/> and its <paramref name="contributions"/> with their means over
    /// the entity's last <c>smoothing</c> rows, this one included; rows are taken in the order this is called.
    /// </summary>
    public void Smooth(string? entityKey, ref float score, Span<float> contributions)
    {
        if (smoothing == 1)
        {
            return;
        }

        EntityHistory history = entities.Get(entityKey ?? SingleEntity);
        if (history.Scores is null || history.Scores.Generation != generation)
        {
            // A retrain (Rebind) starts every entity's ring afresh, at the new model's length.
            history.Scores = new ScoreRing(smoothing, schema.FeatureCount, generation);
        }

        history.Scores.PushAndAverage(ref score, contributions);
    }

    /// <summary>
    /// Switches to a retrained model's scaler, means and smoothing. Entity histories are kept: they hold unscaled
    /// rows. Recent scores are not: two models' scores are not averaged together, so a storm the old model saw does
    /// not linger into the new one's first rows.
    /// </summary>
    public void Rebind(FeatureScaler newScaler, float[] newMeans, int newSmoothing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(newSmoothing, 1);
        scaler = newScaler;
        means = newMeans;
        smoothing = newSmoothing;
        generation++;
    }

    /// <summary>Per-feature means of the non-missing training values, the fallback for every missing value.</summary>
    public static float[] ImputationMeans(FeatureTable table)
    {
        int features = table.Schema.FeatureCount;
        double[] sum = new double[features];
        long[] count = new long[features];
        for (int r = 0; r < table.Rows; r++)
        {
            ReadOnlySpan<float> row = table.Row(r);
            for (int f = 0; f < features; f++)
            {
                if (!float.IsNaN(row[f]))
                {
                    sum[f] += row[f];
                    count[f]++;
                }
            }
        }

        var means = new float[features];
        for (int f = 0; f < features; f++)
        {
            means[f] = count[f] > 0
                ? (float)(sum[f] / count[f])
                : throw new SchemaException($"feature '{table.Schema.Features[f].Name}' (path '{table.Schema.Features[f].Path}') has no value in the training data.");
        }

        return means;
    }
}
