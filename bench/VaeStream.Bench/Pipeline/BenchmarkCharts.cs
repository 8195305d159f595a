using ScottPlot;

namespace VaeStream.Bench.Pipeline;

/// <summary>The PNG charts of docs/benchmarks.md: the latency CDF of each paced run, and scoring speed by batch size.</summary>
internal static class BenchmarkCharts
{
    public static void LatencyCdf(string path, IReadOnlyList<LatencyResult> runs)
    {
        var plot = new Plot();
        foreach (LatencyResult run in runs.Where(r => r.Sorted.Count > 0))
        {
            double[] xs = run.Sorted.Select(ms => Math.Log10(Math.Max(ms, 0.1))).ToArray();
            double[] ys = Enumerable.Range(1, xs.Length).Select(i => 100.0 * i / xs.Length).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"MaxBatchDelay {run.MaxBatchDelay.TotalMilliseconds} ms, {run.OfferedPerSecond:N0}/s";
        }

        plot.Title("End-to-end latency of anomalies (producer timestamp → acknowledged)");
        plot.XLabel("latency, log10 ms");
        plot.YLabel("% of anomalies");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 500);
    }

    public static void ScoringByBatchSize(string path, IReadOnlyList<(int BatchSize, double EventsPerSecond)> points)
    {
        var plot = new Plot();
        var line = plot.Add.ScatterLine(points.Select(p => Math.Log2(p.BatchSize)).ToArray(), points.Select(p => p.EventsPerSecond / 1000).ToArray());
        line.LegendText = "VAE scoring (mse), one libtorch thread";
        plot.Title("Scoring throughput against batch size");
        plot.XLabel("log2 batch size");
        plot.YLabel("thousand events/s");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 500);
    }
}
