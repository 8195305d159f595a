using System.Globalization;
using System.Text;

namespace VaeStream.Evaluation.Reports;

/// <summary>Writes the evaluation table as Markdown: per entity and the mean, with the protocol stated.</summary>
public static class EvaluationReport
{
    /// <summary>The mean of each figure over entities (figures an entity lacks, such as a delay with nothing detected, are left out).</summary>
    public static EntityEvaluation Mean(IReadOnlyList<EntityEvaluation> results) => new(
        "mean",
        results.Count == 0 ? "" : results[0].Detector,
        (int)results.Average(r => r.TrainRows),
        (int)results.Average(r => r.TestRows),
        results.Average(r => r.AnomalyRate),
        results.Average(r => r.FlaggedRate),
        double.NaN,
        new(results.Average(r => r.Point.Precision), results.Average(r => r.Point.Recall), results.Average(r => r.Point.F1)),
        new(results.Average(r => r.Adjusted.Precision), results.Average(r => r.Adjusted.Recall), results.Average(r => r.Adjusted.F1)),
        results.Average(r => r.AveragePrecision),
        MeanOfFinite(results.Select(r => r.VusPr)),
        new(results.Sum(r => r.Segments.Segments), results.Sum(r => r.Segments.Detected), MeanOfFinite(results.Select(r => r.Segments.Recall)),
            MeanOfFinite(results.Select(r => r.Segments.MedianDelay))),
        results.Sum(r => r.TrainSeconds),
        results.Sum(r => r.ScoreSeconds),
        results.Sum(r => r.Drifts));

    /// <summary>Column headers of <see cref="Row"/>.</summary>
    public static readonly string[] Columns =
        ["entity", "train rows", "test rows", "anomalies", "flagged", "precision", "recall", "F1", "PA-F1", "AUC-PR", "VUS-PR", "segment recall", "delay", "drifts", "train s"];

    /// <summary>One entity's figures as table cells.</summary>
    public static string[] Row(EntityEvaluation r) =>
    [
        r.Name,
        r.TrainRows.ToString(CultureInfo.InvariantCulture),
        r.TestRows.ToString(CultureInfo.InvariantCulture),
        Percent(r.AnomalyRate),
        Percent(r.FlaggedRate),
        Fixed(r.Point.Precision),
        Fixed(r.Point.Recall),
        Fixed(r.Point.F1),
        Fixed(r.Adjusted.F1),
        Fixed(r.AveragePrecision),
        Fixed(r.VusPr),
        $"{Fixed(r.Segments.Recall)} ({r.Segments.Detected}/{r.Segments.Segments})",
        r.Segments.MedianDelay.ToString("F1", CultureInfo.InvariantCulture),
        r.Drifts.ToString(CultureInfo.InvariantCulture),
        r.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture),
    ];

    /// <summary>The entity whose threshold flagged the largest share of its test rows, in words.</summary>
    public static string LargestFlaggedShare(IReadOnlyList<EntityEvaluation> results)
    {
        EntityEvaluation worst = results.MaxBy(r => r.FlaggedRate)!;
        return string.Create(CultureInfo.InvariantCulture,
            $"largest flagged share {Percent(worst.FlaggedRate)} ({worst.Name}, labelled {Percent(worst.AnomalyRate)})");
    }

    /// <summary>The Markdown report.</summary>
    public static string ToMarkdown(string dataset, string settings, EvaluationTables tables, TimeSpan wallTime, IReadOnlyList<string> plots)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Evaluation: {dataset}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {tables.Vae.Count} entities, {wallTime.TotalSeconds:F0} s wall time (training included), {Environment.ProcessorCount} cores.");
        text.AppendLine();
        text.AppendLine("Protocol (`shared/data/README.md`): scaler, model and threshold fitted on each entity's training file only; the threshold is");
        text.AppendLine("chosen without labels; every test row is scored in order. F1 is point-wise with no adjustment; PA-F1 uses the same");
        text.AppendLine("predictions with point adjustment; AUC-PR (average precision) needs no threshold. VUS-PR is TSB-AD's (version `opt`,");
        text.AppendLine("250 thresholds), with the period of the first test feature as its window. Segment recall is the share of labelled");
        text.AppendLine("segments flagged at least once; delay is the median number of rows from a segment's start to its first flag.");
        text.AppendLine();
        text.AppendLine("Two modes per detector. **Batch**: the model and threshold fitted on training rows only. **Streaming**: the worker's");
        text.AppendLine("logic on the test stream in order. Each row is compared with the threshold `threshold.streaming` names: `Model`, the live");
        text.AppendLine("model's own (what the worker does), or `Spot`, SPOT (DSPOT with `threshold.streamingDepth` > 0) from the live model's");
        text.AppendLine("calibration scores, learning from the stream's own peaks. When the alarm-rate guard (`threshold.drift`) declares drift, a");
        text.AppendLine("new model is trained on what the worker's drift retrain learns (its normal window and the most recent rows, flagged ones");
        text.AppendLine("included) and takes over from the next row with its own threshold. The decision on row t uses no later row and no label.");
        text.AppendLine("Streaming AUC-PR and VUS-PR rank rows by score ÷ the threshold in force, which stays comparable across models.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Settings: {settings}");
        text.AppendLine();
        text.AppendLine("| detector | mode | AUC-PR | VUS-PR | F1 | PA-F1 | segment recall | delay | drifts | largest flagged share |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach ((string detector, string mode, IReadOnlyList<EntityEvaluation> rows) in tables.Sections())
        {
            EntityEvaluation m = Mean(rows);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {detector} | {mode} | {Fixed(m.AveragePrecision)} | {Fixed(m.VusPr)} | {Fixed(m.Point.F1)} | {Fixed(m.Adjusted.F1)} | {Fixed(m.Segments.Recall)} | {m.Segments.MedianDelay:F1} | {m.Drifts} | {LargestFlaggedShare(rows)} |");
        }

        foreach ((string detector, string mode, IReadOnlyList<EntityEvaluation> rows) in tables.Sections())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {detector}, {mode} mode");
            text.AppendLine();
            if (detector == "pca_rw" && mode == "batch")
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"The data README's peer: standardised on the first 80% of train, the fewest principal components that explain 90% of its variance, each feature's residual divided by its spread on the last 20%; batch threshold: the {EntityEvaluator.BaselineQuantile:P1} quantile of that tail's scores. Point-wise (no window).");
                text.AppendLine();
            }

            text.Append(MarkdownTable(rows));
        }

        if (plots.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Scores over time");
            text.AppendLine();
            foreach (string plot in plots)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})");
            }
        }

        return text.ToString();
    }

    /// <summary>One table as Markdown lines: the header, a row per entity, and the mean in bold.</summary>
    public static string MarkdownTable(IReadOnlyList<EntityEvaluation> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Columns.Length)));
        foreach (EntityEvaluation r in results)
        {
            text.AppendLine("| " + string.Join(" | ", Row(r)) + " |");
        }

        string[] mean = Row(Mean(results));
        text.AppendLine("| " + string.Join(" | ", mean.Select(c => $"**{c}**")) + " |");
        return text.ToString();
    }

    private static double MeanOfFinite(IEnumerable<double> values)
    {
        double[] finite = [.. values.Where(double.IsFinite)];
        return finite.Length == 0 ? double.NaN : finite.Average();
    }

    private static string Fixed(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);
}
