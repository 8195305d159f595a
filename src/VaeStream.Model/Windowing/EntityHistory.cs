namespace VaeStream.Model.Windowing;

/// <summary>
/// What one entity remembers: its last value per feature (for carry-forward) and its last W−1 rows, unscaled, so
/// the history stays valid when a retrained model with a new scaler is swapped in; and, when scores are smoothed,
/// its last scores.
/// </summary>
internal sealed class EntityHistory
{
    private readonly float[] ring;
    private readonly int features;
    private int next;

    /// <summary>Creates an empty history for rows of <paramref name="features"/> values and a window of <paramref name="window"/>.</summary>
    public EntityHistory(int features, int window)
    {
        this.features = features;
        Capacity = window - 1;
        ring = new float[Capacity * features];
        LastValues = new float[features];
        Array.Fill(LastValues, float.NaN);
    }

    /// <summary>The entity's recent scores, once smoothing has asked for them.</summary>
    public ScoreRing? Scores { get; set; }

    /// <summary>Last value seen per feature (NaN before the first).</summary>
    public float[] LastValues { get; }

    /// <summary>Number of past rows kept (W−1).</summary>
    public int Capacity { get; }

    /// <summary>Number of past rows held, at most <see cref="Capacity"/>.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Writes the window (oldest first, newest = <paramref name="row"/> last) into <paramref name="destination"/>
    /// and then remembers the row. Before W−1 rows have been seen, the oldest known row fills the gap.
    /// </summary>
    public void AssembleAndPush(ReadOnlySpan<float> row, Span<float> destination)
    {
        int missing = Capacity - Count;
        for (int slot = 0; slot < Capacity; slot++)
        {
            ReadOnlySpan<float> source = Count == 0 ? row : Past(Math.Max(0, slot - missing));
            source.CopyTo(destination.Slice(slot * features, features));
        }

        row.CopyTo(destination.Slice(Capacity * features, features));
        if (Capacity == 0)
        {
            return;
        }

        row.CopyTo(ring.AsSpan(next * features, features));
        next = (next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    // k = 0 is the oldest row held.
    private ReadOnlySpan<float> Past(int k)
    {
        int start = Count < Capacity ? 0 : next;
        int slot = (start + k) % Capacity;
        return ring.AsSpan(slot * features, features);
    }
}
