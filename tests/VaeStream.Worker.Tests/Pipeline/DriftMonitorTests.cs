using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Pipeline;

/// <summary>The rows a drift retrain learns, fed as the batch processor feeds them: every event to both windows.</summary>
public sealed class DriftMonitorTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["value"]);

    [Fact]
    public void The_history_is_the_normal_window_before_the_recent_rows_so_no_row_is_both()
    {
        var threshold = new ThresholdOptions { Drift = new DriftOptions { RetrainRows = 100 } };
        var monitor = new DriftMonitor(Schema, threshold, new PipelineOptions());
        var normal = new NormalWindow(Schema, capacity: 1_000, admitFactor: 2.0);
        // Rows 0..499; every tenth scores far above the threshold (3 ×) and stays out of the normal window.
        for (int i = 0; i < 500; i++)
        {
            float[] row = [i];
            double score = i % 10 == 0 ? 30 : 5;
            monitor.Observe(row, null, flagged: score > 10, admitted: normal.Offer(row, null, score, threshold: 10));
        }

        DriftRetrainWindow window = monitor.TakeRetrainWindow(normal);

        float[] recent = [.. Enumerable.Range(400, 100).Select(i => (float)i)];
        float[] history = [.. Enumerable.Range(0, 400).Where(i => i % 10 != 0).Select(i => (float)i)];
        float[] older = recent[..50];
        // The older recent half repeated (history ÷ 50 = 7 times), the history, the newer recent half.
        float[] expected = [.. Enumerable.Repeat(older, 360 / 50).SelectMany(r => r), .. history, .. recent[50..]];
        Assert.Equal(expected, window.Rows.Values);
        Assert.Equal(50, window.NewestRows);
    }
}
