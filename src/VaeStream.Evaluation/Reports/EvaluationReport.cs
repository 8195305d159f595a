using System.Globalization;
using System.Text;

namespace VaeStream.Evaluation.Reports;

/// <summary>Writes the evaluation table as Markdown: per entity and the mean, with the protocol stated.</summary>
public static class EvaluationReport
{
    /// <summary>The mean of each figure over entities.</summary>
    public static EntityEvaluation Mean(IReadOnlyList<EntityEvaluation> results) => new(
        "mean",
        (int)results.Average(r => r.TrainRows),
        (int)results.Average(r => r.TestRows),
        results.Average(r => r.AnomalyRate),
        results.Average(r => r.FlaggedRate),
        double.NaN,
        new(results.Average(r => r.Point.Precision), results.Average(r => r.Point.Recall), results.Average(r => r.Point.F1)),
        new(results.Average(r => r.Adjusted.Precision), results.Average(r => r.Adjusted.Recall), results.Average(r => r.Adjusted.F1)),
        results.Average(r => r.AveragePrecision),
        results.Sum(r => r.TrainSeconds),
        results.Sum(r => r.ScoreSeconds));

    /// <summary>Column headers of <see cref="Row"/>.</summary>
    public static readonly string[] Columns =
        ["entity", "train rows", "test rows", "anomalies", "flagged", "precision", "recall", "F1", "PA-F1", "AUC-PR", "train s"];

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
        r.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture),
    ];

    /// <summary>The Markdown report.</summary>
    public static string ToMarkdown(string dataset, string settings, IReadOnlyList<EntityEvaluation> results, TimeSpan wallTime,
        IReadOnlyList<string> plots)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Evaluation: {dataset}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {results.Count} entities, {wallTime.TotalSeconds:F0} s wall time (training included), {Environment.ProcessorCount} cores.");
        text.AppendLine();
        text.AppendLine("Protocol (`shared/data/README.md`): scaler, model and threshold fitted on each entity's training file only; the threshold is");
        text.AppendLine("chosen without labels; every test row is scored in order. F1 is point-wise with no adjustment; PA-F1 uses the same");
        text.AppendLine("predictions with point adjustment; AUC-PR (average precision) needs no threshold.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Settings: {settings}");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Columns.Length)));
        foreach (EntityEvaluation r in results)
        {
            text.AppendLine("| " + string.Join(" | ", Row(r)) + " |");
        }

        string[] mean = Row(Mean(results));
        text.AppendLine("| " + string.Join(" | ", mean.Select(c => $"**{c}**")) + " |");
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

    private static string Fixed(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);
}
