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

    // Risk 1% × factor 10: drift once over a tenth of a 100-event window is flagged for 50 events more.
    private static readonly ThresholdOptions Guard = new() { Risk = 0.01, Drift = new DriftOptions { Factor = 10, Window = 100, Hold = 50, RetrainRows = 100 } };

    [Theory]
    // Two hosts read together, every third event of host a flagged: all the flags are one host's, its fault or its
    // own shift, not the fleet's.
    [InlineData(new[] { "a", "b" }, new[] { "a" }, false)]
    // Both hosts flagged: a change across the fleet.
    [InlineData(new[] { "a", "b" }, new[] { "a", "b" }, true)]
    // A window of one host's events (a backlog's partition of one host) has nobody to compare with, and drifts.
    [InlineData(new[] { "a" }, new[] { "a" }, true)]
    public void A_fleet_drift_is_declared_only_when_the_flags_are_not_all_one_entitys(string[] hosts, string[] flaggedHosts, bool declared)
    {
        var monitor = new DriftMonitor(Schema with { EntityKeyPath = "host" }, Guard, new PipelineOptions { EntityDrift = false });
        bool drifted = false;
        for (int i = 0; i < 1_000 && !drifted; i++)
        {
            string host = hosts[i % hosts.Length];
            bool flagged = flaggedHosts.Contains(host) && i / hosts.Length % 3 == 0;
            drifted = monitor.Observe([i], host, flagged, admitted: !flagged);
        }

        Assert.Equal(declared, drifted);
        Assert.Equal(declared, monitor.Drifting);
    }

    [Fact]
    public void Without_entities_every_flag_is_the_one_streams_and_drift_is_declared_as_before()
    {
        var monitor = new DriftMonitor(Schema, Guard, new PipelineOptions());
        bool drifted = false;
        for (int i = 0; i < 1_000 && !drifted; i++)
        {
            drifted = monitor.Observe([i], null, flagged: i % 3 == 0, admitted: i % 3 != 0);
        }

        Assert.True(drifted);
    }
}
