using VaeStream.Model.Features;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// Ring buffer of the most recent events that were not flagged (their feature rows and entity keys), so the next
/// model learns current normal traffic and anomalies cannot poison it. Owned by the pipeline thread.
/// </summary>
internal sealed class NormalWindow(FeatureSchema schema, int capacity)
{
    private readonly float[] rows = new float[capacity * schema.FeatureCount];
    private readonly string?[] entities = new string?[capacity];
    private int next;

    /// <summary>Rows held, at most the capacity.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a row (already imputed), overwriting the oldest when full.</summary>
    public void Add(ReadOnlySpan<float> row, string? entity)
    {
        row.CopyTo(rows.AsSpan(next * schema.FeatureCount, schema.FeatureCount));
        entities[next] = entity;
        next = (next + 1) % capacity;
        Count = Math.Min(Count + 1, capacity);
    }

    /// <summary>A copy of the rows, oldest first, as a training table.</summary>
    public FeatureTable Snapshot()
    {
        int features = schema.FeatureCount;
        float[] values = new float[Count * features];
        string?[] keys = new string?[Count];
        int start = Count < capacity ? 0 : next;
        for (int i = 0; i < Count; i++)
        {
            int slot = (start + i) % capacity;
            rows.AsSpan(slot * features, features).CopyTo(values.AsSpan(i * features));
            keys[i] = entities[slot];
        }

        return new FeatureTable(schema, values, schema.EntityKeyPath is null ? null : keys);
    }
}
