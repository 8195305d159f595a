using VaeStream.Model.Features;

namespace VaeStream.Model.Detection;

/// <summary>
/// The rows a drift retrain learns from, in the worker and in the streaming replay alike: the history (the normal
/// window, which covers the daily cycle), then the recent rows, flagged ones included (the new level), repeated until
/// they weigh about as much as the history (at most <see cref="MaxRepeats"/> times). A new level that is a small
/// minority of the rows would be learned only in part, and the storm would come back. The recent rows come last, so
/// the retrain's held-out tail, where its threshold is calibrated, is on the new level.
/// </summary>
public static class DriftRetrainRows
{
    /// <summary>The most times the recent rows are repeated.</summary>
    public const int MaxRepeats = 10;

    /// <summary>History, then the recent rows repeated.</summary>
    public static FeatureTable Compose(FeatureTable history, FeatureTable recent)
    {
        int repeats = Math.Clamp(history.Rows / Math.Max(1, recent.Rows), 1, MaxRepeats);
        int f = recent.Schema.FeatureCount;
        float[] values = new float[(history.Rows + repeats * recent.Rows) * f];
        history.Values.AsSpan(0, history.Rows * f).CopyTo(values);
        for (int i = 0; i < repeats; i++)
        {
            recent.Values.AsSpan(0, recent.Rows * f).CopyTo(values.AsSpan((history.Rows + i * recent.Rows) * f));
        }

        string?[]? keys = recent.EntityKeys is null
            ? null
            : [.. history.EntityKeys ?? new string?[history.Rows], .. Enumerable.Repeat(recent.EntityKeys, repeats).SelectMany(k => k)];
        return new FeatureTable(recent.Schema, values, keys);
    }
}
