namespace VaeStream.Model.Windowing;

/// <summary>
/// An entity's last k raw scores and their per-feature contributions, for the moving average that
/// <see cref="RowPreparer.Smooth"/> replaces each score with.
/// </summary>
internal sealed class ScoreRing(int capacity, int features, int generation)
{
    private readonly float[] scores = new float[capacity];
    private readonly float[] contributions = new float[capacity * features];
    private int next;
    private int count;

    /// <summary>The detector generation whose scores the ring holds.</summary>
    public int Generation { get; } = generation;

    /// <summary>Remembers a score, then overwrites it and its contributions with their means over the ring.</summary>
    public void PushAndAverage(ref float score, Span<float> rowContributions)
    {
        scores[next] = score;
        rowContributions.CopyTo(contributions.AsSpan(next * features, features));
        next = (next + 1) % capacity;
        count = Math.Min(count + 1, capacity);

        // Sums in double over at most 100 rows: the mean of equal scores comes back exactly.
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            total += scores[i];
        }

        score = (float)(total / count);
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += contributions[i * features + f];
            }

            rowContributions[f] = (float)(sum / count);
        }
    }
}
