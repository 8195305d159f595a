using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Scaling;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// Which warm-up events the first live model may learn from. The warm-up is raw traffic, faults included, and the
/// first model serves until the first scheduled retrain. A fault it trains on is learned as normal; a fault left in
/// its validation tail sets its threshold, and that one does more harm. A screening model scores every warm-up event,
/// and an event is cut when:
/// <list type="bullet">
/// <item>it scores above the screen's threshold; or</item>
/// <item>it is part of a lasting excursion: at least <see cref="ExcursionExtraRows"/> more consecutive events of one
/// entity than a single event's reach, each scoring above the screen's <see cref="ExcursionQuantile"/> quantile.</item>
/// </list>
/// The second rule is there because the first misses mild faults. The screen's threshold is calibrated on scores that
/// hold them, so it sits above them, and the faults that survive it then inflate the live model's threshold. On the
/// held-out stream with faults in the warm-up, over 8 seeds, the screen's threshold alone kept 36–171 of 85–254 fault
/// events. The live threshold was 56–111 against 42–64 on a clean warm-up, and six seeds missed 3–16 of their 59–62
/// later segments, nearly all correlation breaks and slow ramps. With the excursion rule 19–84 fault events were kept,
/// and every segment was caught on all 8 seeds. On a clean warm-up the rule cut 24–43 events where the threshold alone cut 6–17.
/// </summary>
internal static class WarmupScreen
{
    /// <summary>
    /// The screening model's trimmed share (<see cref="Model.Training.TrainingOptions.TrimShare"/>). Each batch's 2%
    /// of rows with the largest loss do not train it, so a fault in the warm-up that is a few hundred of its events
    /// stays unlearned and is cut. Fitted on every row, the screen learned the demo's warm-up latency spikes: in 2 of
    /// 8 runs the first model then missed 42–43 of the demo's 114 spike events, and recall fell to 0.94. Trimmed, 14
    /// of 14 runs found every anomaly.
    /// </summary>
    public const double TrimShare = 0.02;

    /// <summary>The bar, as a quantile of the screen's warm-up scores, that every event of a lasting excursion exceeds.</summary>
    public const double ExcursionQuantile = 0.975;

    /// <summary>
    /// How many events longer than one event's reach an excursion must be. One event enters the scores of
    /// window + smoothing − 1 consecutive events of its entity, so a longer run above the bar is more than one bad event.
    /// If scores were independent, an event would start a run of three above the 97.5% quantile with probability
    /// 0.025³: under one event in 10,000. Normal scores do cluster a little with load, which is why the clean warm-ups
    /// lost 24–43 events, not one.
    /// </summary>
    public const int ExcursionExtraRows = 2;

    /// <summary>The rows of <paramref name="rows"/> the screen did not cut, and how many each rule cut.</summary>
    public static (FeatureTable Kept, int AboveThreshold, int InExcursions) Apply(FeatureTable rows, AnomalyDetector screen)
    {
        float[] scores = screen.ScoreTable(rows).Scores;
        int reach = rows.Schema.Window + screen.Options.Scoring.Smoothing - 1;
        bool[] excursion = LastingExcursions(scores, rows.EntityKeys, Bar(scores), reach + ExcursionExtraRows);
        double threshold = screen.Threshold.Value;
        var kept = new List<int>(rows.Rows);
        int above = 0, inExcursions = 0;
        for (int r = 0; r < rows.Rows; r++)
        {
            if (scores[r] > threshold)
            {
                above++;
            }
            else if (excursion[r])
            {
                inExcursions++;
            }
            else
            {
                kept.Add(r);
            }
        }

        return (rows.SelectRows(kept), above, inExcursions);
    }

    /// <summary>
    /// Marks the rows that belong to a run of at least <paramref name="minimumRun"/> consecutive rows of one entity
    /// (rows without a key form one entity), in table order, each scoring above <paramref name="bar"/>.
    /// </summary>
    public static bool[] LastingExcursions(ReadOnlySpan<float> scores, IReadOnlyList<string?>? entityKeys, double bar, int minimumRun)
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

    private static double Bar(float[] scores)
    {
        double[] sorted = [.. scores.Select(s => (double)s)];
        Array.Sort(sorted);
        return Quantiles.Sorted(sorted, ExcursionQuantile);
    }
}
