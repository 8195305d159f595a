using ScottPlot;

namespace VaeStream.Evaluation.Reports;

/// <summary>
/// Score over time on a log axis, the threshold as a line, and labelled anomaly segments shaded: what a person
/// looks at first to judge a detector.
/// </summary>
public static class ScorePlot
{
    /// <summary>Writes a PNG with one threshold for all points.</summary>
    public static void Save(string path, string title, IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double threshold,
        string shadeLabel = "labelled anomaly") =>
        Save(path, title, scores, labels, Enumerable.Repeat(threshold, scores.Count).ToArray(), shadeLabel);

    /// <summary>
    /// Writes a PNG with a threshold per point (it changes when a retrained model goes live), and, when given, the
    /// rows inside incidents as a band under the plot, so labelled segments and incidents can be compared at a glance.
    /// </summary>
    public static void Save(string path, string title, IReadOnlyList<float> scores, IReadOnlyList<bool> labels, IReadOnlyList<double> thresholds,
        string shadeLabel = "labelled anomaly", IReadOnlyList<bool>? incidents = null)
    {
        var plot = new Plot();
        double floor = Math.Max(1e-6, scores.Where(s => s > 0).DefaultIfEmpty(1e-6f).Min());
        double[] ys = scores.Select(s => Math.Log10(Math.Max(s, floor))).ToArray();

        bool first = true;
        foreach ((int start, int end) in Segments(labels))
        {
            var span = plot.Add.HorizontalSpan(start, end);
            span.FillStyle.Color = Colors.Red.WithAlpha(0.25);
            span.LineStyle.Width = 0;
            if (first)
            {
                span.LegendText = shadeLabel;
                first = false;
            }
        }

        if (incidents is not null)
        {
            // A band below the lowest score: red shading above is the truth, the purple band the incidents.
            double low = ys.DefaultIfEmpty(0).Min() - 0.3;
            bool firstIncident = true;
            foreach ((int start, int end) in Segments(incidents))
            {
                var band = plot.Add.Rectangle(start, end, low - 0.25, low);
                band.FillStyle.Color = Colors.Purple.WithAlpha(0.7);
                band.LineStyle.Width = 0;
                if (firstIncident)
                {
                    band.LegendText = "incident";
                    firstIncident = false;
                }
            }
        }

        var signal = plot.Add.Signal(ys);
        signal.Color = Colors.SteelBlue;
        signal.LegendText = "score (log10)";
        var line = plot.Add.Signal(thresholds.Select(t => Math.Log10(Math.Max(t, floor))).ToArray());
        line.Color = Colors.DarkOrange;
        line.LineWidth = 2;
        line.MarkerSize = 0;
        line.LegendText = "threshold";

        plot.Title(title);
        plot.XLabel("row");
        plot.YLabel("log10 score");
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1600, 500);
    }

    /// <summary>Contiguous runs of true, as [start, end) pairs.</summary>
    public static IEnumerable<(int Start, int End)> Segments(IReadOnlyList<bool> flags)
    {
        int i = 0;
        while (i < flags.Count)
        {
            if (!flags[i])
            {
                i++;
                continue;
            }

            int start = i;
            while (i < flags.Count && flags[i])
            {
                i++;
            }

            yield return (start, i);
        }
    }
}
