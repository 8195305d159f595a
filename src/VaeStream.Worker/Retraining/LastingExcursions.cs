using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Scaling;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// Finds the lasting excursions in rows a model has scored: runs of at least <see cref="ExtraRows"/> more consecutive
/// rows of one entity than a single row's reach, each scoring above the <see cref="Quantile"/> quantile of all the
/// scores. A fault lasts; a normal row's high score seldom has neighbours. A model fitted on rows that hold mild
/// faults sets its threshold on them, so the warm-up screen (<see cref="WarmupScreen"/>) and every scheduled retrain
/// (<see cref="Retrainer"/>) leave these rows out. Mild faults, scoring 1–2 × the threshold, pass both the screen's
/// threshold and the retraining window's bound (<see cref="Model.Detection.WindowAdmission"/>); without this cut, on
/// the held-out stream with faults throughout, the retrains took the threshold from 71 to 118–195, and recall fell to
/// 0.41 for correlation breaks and 0.70 for slow ramps.
/// </summary>
internal static class LastingExcursions
{
    /// <summary>The bar, as a quantile of the scores, that every row of a lasting excursion exceeds.</summary>
    public const double Quantile = 0.975;

    /// <summary>
    /// How many rows longer than one row's reach an excursion must be. One event enters the scores of
    /// window + smoothing − 1 consecutive rows of its entity, so a longer run above the bar is more than one bad event.
    /// If scores were independent, a row would start a run of three above the 97.5% quantile with probability
    /// 0.025³: under one in 10,000. Normal scores do cluster a little with load, which is why clean 10,000-event
    /// warm-ups of the held-out stream lost 24–43 rows, not one.
    /// </summary>
    public const int ExtraRows = 2;

    /// <summary>How many consecutive rows of its entity one event's score reaches: the scorer's window, then its smoothing.</summary>
    public static int Reach(FeatureSchema schema, AnomalyDetector scorer) => schema.Window + scorer.Options.Scoring.Smoothing - 1;

    /// <summary>
    /// Marks the rows of lasting excursions in <paramref name="scores"/> (in stream order, one per row of
    /// <paramref name="entityKeys"/>) for a scorer whose one event reaches <paramref name="reach"/> rows.
    /// </summary>
    public static bool[] Find(float[] scores, IReadOnlyList<string?>? entityKeys, int reach) =>
        scores.Length == 0 ? [] : Mark(scores, entityKeys, Quantiles.Of(scores.Select(s => (double)s), Quantile), reach + ExtraRows);

    /// <summary>
    /// Marks the rows that belong to a run of at least <paramref name="minimumRun"/> consecutive rows of one entity
    /// (rows without a key form one entity), in table order, each scoring above <paramref name="bar"/>.
    /// </summary>
    public static bool[] Mark(ReadOnlySpan<float> scores, IReadOnlyList<string?>? entityKeys, double bar, int minimumRun)
    {
        var marked = new bool[scores.Length];
        // Per entity: the rows of its current run above the bar.
        var runs = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int r = 0; r < scores.Length; r++)
        {
            string entity = entityKeys?[r] ?? string.Empty;
            if (!runs.TryGetValue(entity, out List<int>? run))
            {
                runs[entity] = run = [];
            }

            if (scores[r] > bar)
            {
                run.Add(r);
                continue;
            }

            Close(run, minimumRun, marked);
        }

        foreach (List<int> run in runs.Values)
        {
            Close(run, minimumRun, marked);
        }

        return marked;
    }

    private static void Close(List<int> run, int minimumRun, bool[] marked)
    {
        if (run.Count >= minimumRun)
        {
            foreach (int row in run)
            {
                marked[row] = true;
            }
        }

        run.Clear();
    }
}
