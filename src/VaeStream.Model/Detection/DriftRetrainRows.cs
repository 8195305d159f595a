using VaeStream.Model.Features;

namespace VaeStream.Model.Detection;

/// <summary>What a drift retrain learns: <paramref name="Rows"/>, whose last <paramref name="NewestRows"/> are the newest recent rows.</summary>
/// <param name="Rows">The older recent rows repeated, the history, then the newest recent rows once.</param>
/// <param name="NewestRows">
/// The newest recent rows, at the end of <paramref name="Rows"/>: the new level. Once the history holds at least as many
/// rows as the recent window (the worker's normal window and the replay's do), they all lie in the trainer's held-out
/// tail, so the retrained model never fits them; the worker validates a drift retrain's candidate on them.
/// </param>
public sealed record DriftRetrainWindow(FeatureTable Rows, int NewestRows);

/// <summary>
/// The rows a drift retrain learns from, in the worker and in the streaming replay alike: the older half of the recent
/// rows, flagged ones included (the new level), repeated until they weigh about as much as the history (at most
/// <see cref="MaxRepeats"/> times), then the history (the normal window, which covers the daily cycle), then the newer
/// half of the recent rows once. A new level that is a small minority of the rows would be learned only in part, and
/// the storm would come back.
/// <para>
/// The order puts no repeated row in the trainer's held-out tail (its last
/// <see cref="Training.TrainingOptions.ValidationFraction"/>, up to one half), where it stops early and fits its
/// residual scale and its threshold: that tail is the newest recent rows and the newest history, which it did not
/// train on. With the recent rows repeated at the end, the tail held rows the network had learned, the threshold sat
/// low, and a drift retrain flagged more than the model it replaced (SMD, 2026-12-05: machine-1-4 11.3% of its rows in
/// streaming mode against 8.2% in batch mode; README, "Drift retrain rows").
/// </para>
/// </summary>
public static class DriftRetrainRows
{
    /// <summary>The most times the older recent rows are repeated.</summary>
    public const int MaxRepeats = 10;

    /// <summary>The older recent rows repeated, the history, then the newer recent rows once.</summary>
    public static DriftRetrainWindow Compose(FeatureTable history, FeatureTable recent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(recent.Rows, nameof(recent));
        int older = recent.Rows / 2;
        int repeats = older == 0 ? 0 : Math.Clamp(history.Rows / older, 1, MaxRepeats);
        var parts = new List<(FeatureTable Table, int From, int Count)>(Enumerable.Repeat((recent, 0, older), repeats))
        {
            (history, 0, history.Rows),
            (recent, older, recent.Rows - older),
        };

        int f = recent.Schema.FeatureCount;
        int rows = parts.Sum(p => p.Count);
        float[] values = new float[rows * f];
        string?[]? keys = recent.EntityKeys is null ? null : new string?[rows];
        int at = 0;
        foreach ((FeatureTable table, int from, int count) in parts)
        {
            table.Values.AsSpan(from * f, count * f).CopyTo(values.AsSpan(at * f));
            if (keys is not null && table.EntityKeys is not null)
            {
                table.EntityKeys.AsSpan(from, count).CopyTo(keys.AsSpan(at));
            }

            at += count;
        }

        return new DriftRetrainWindow(new FeatureTable(recent.Schema, values, keys), recent.Rows - older);
    }
}
