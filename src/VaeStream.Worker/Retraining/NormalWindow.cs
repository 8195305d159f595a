using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// Ring buffer of the most recent events (their feature rows and entity keys) that the next model learns from.
/// <see cref="Offer"/> keeps the normal ones, those within <see cref="WindowAdmission"/>'s bound, so current normal
/// traffic is learned and anomalies cannot poison it; <see cref="Add"/> keeps any row. Each row keeps its score
/// relative to the threshold it was scored against, so rows scored by different models compare. Owned by the pipeline
/// thread.
/// </summary>
/// <param name="schema">The rows' schema.</param>
/// <param name="capacity">Rows kept.</param>
/// <param name="admitFactor">A scored row joins through <see cref="Offer"/> when it scores at most this multiple of the threshold.</param>
internal sealed class NormalWindow(FeatureSchema schema, int capacity, double admitFactor = WindowAdmission.DefaultFactor)
{
    private readonly float[] rows = new float[capacity * schema.FeatureCount];
    private readonly string?[] entities = new string?[capacity];
    private readonly float[] relativeScores = new float[capacity];
    private int next;

    /// <summary>Rows held, at most the capacity.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a scored row (already imputed) when <see cref="WindowAdmission"/> admits it; true when it did.</summary>
    public bool Offer(ReadOnlySpan<float> row, string? entity, double score, double threshold)
    {
        if (!WindowAdmission.Admits(score, threshold, admitFactor))
        {
            return false;
        }

        Add(row, entity, threshold > 0 && double.IsFinite(threshold) ? (float)(score / threshold) : (float)score);
        return true;
    }

    /// <summary>Adds a row (already imputed), overwriting the oldest when full; <paramref name="relativeScore"/> is its score ÷ threshold, if scored.</summary>
    public void Add(ReadOnlySpan<float> row, string? entity, float relativeScore = 0)
    {
        row.CopyTo(rows.AsSpan(next * schema.FeatureCount, schema.FeatureCount));
        entities[next] = entity;
        relativeScores[next] = relativeScore;
        next = (next + 1) % capacity;
        Count = Math.Min(Count + 1, capacity);
    }

    /// <summary>A copy of the rows, oldest first, as a training table, without the newest <paramref name="skipNewest"/>.</summary>
    public FeatureTable Snapshot(int skipNewest = 0)
    {
        int features = schema.FeatureCount;
        int rowsKept = Math.Max(0, Count - skipNewest);
        float[] values = new float[rowsKept * features];
        string?[] keys = new string?[rowsKept];
        for (int i = 0; i < rowsKept; i++)
        {
            int slot = Slot(i);
            rows.AsSpan(slot * features, features).CopyTo(values.AsSpan(i * features));
            keys[i] = entities[slot];
        }

        return new FeatureTable(schema, values, schema.EntityKeyPath is null ? null : keys);
    }

    /// <summary>A copy of every row, oldest first, with its score relative to its threshold.</summary>
    public ScoredRows SnapshotScored()
    {
        float[] scores = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            scores[i] = relativeScores[Slot(i)];
        }

        return new ScoredRows(Snapshot(), scores);
    }

    // The buffer slot of the i-th oldest row held.
    private int Slot(int i) => ((Count < capacity ? 0 : next) + i) % capacity;
}
