using System.Globalization;
using System.Text;
using VaeStream.Evaluation.Metrics;
using VaeStream.Evaluation.Reports;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Simulation;
using VaeStream.Worker.Operations;

namespace VaeStream.Cli.Demo;

/// <summary>The demo's figures, computed from what the pipeline did against the generator's ground truth.</summary>
internal sealed record DemoResult(int Produced, int Malformed, long Scored, long DeadLettered, int Flagged, double EventsPerSecond,
    double LatencyP50Ms, double LatencyP99Ms, int LatencySamples, PrecisionRecall Detection, IReadOnlyDictionary<AnomalyKind, (int Found, int Injected)> ByKind,
    TimeSpan WallTime, int FalseAlarms, int NormalEvents);

/// <summary>Writes <c>report.md</c> and <c>timeline.png</c> for a demo run.</summary>
internal static class DemoReport
{
    /// <summary>Scores the run against the truth.</summary>
    public static DemoResult Evaluate(EventFeed feed, DemoRecorder recorder, WorkerMetrics metrics, TimeSpan wallTime)
    {
        HashSet<string> flagged = recorder.Anomalies.Select(a => a.Key).ToHashSet();
        string[] keys = [.. feed.Truth.Keys];
        bool[] predicted = keys.Select(flagged.Contains).ToArray();
        bool[] actual = keys.Select(k => feed.Truth[k] != AnomalyKind.None).ToArray();
        var byKind = feed.Truth.Where(t => t.Value != AnomalyKind.None).GroupBy(t => t.Value)
            .ToDictionary(g => g.Key, g => (g.Count(t => flagged.Contains(t.Key)), g.Count()));

        // Events consumed during warm-up wait for the first model by design; latency is reported for the rest.
        DateTime live = metrics.FirstModelLiveAt ?? DateTime.MinValue;
        double[] latencies = recorder.Anomalies.Where(a => a.SourceTime >= live).Select(a => a.LatencyMs).Order().ToArray();
        return new DemoResult(feed.Truth.Count + feed.MalformedKeys.Count, feed.MalformedKeys.Count, metrics.Scored, metrics.DeadLettered,
            flagged.Count, recorder.EventsPerSecond, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Length,
            DetectionMetrics.PointWise(predicted, actual), byKind, wallTime,
            FalseAlarms: keys.Where((_, i) => predicted[i] && !actual[i]).Count(), NormalEvents: actual.Count(a => !a));
    }

    /// <summary>Writes the report and the picture into <paramref name="directory"/>.</summary>
    public static string Write(string directory, DemoResult r, DemoRecorder recorder, EventFeed feed, WorkerMetrics metrics, string checkpoints,
        IReadOnlyList<(string Feature, double MedianGap, double Spread)> expectedAccuracy, DemoIncidentFigures incidents)
    {
        Directory.CreateDirectory(directory);
        SaveTimeline(Path.Combine(directory, "timeline.png"), recorder, feed, "h00");
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        Line("# VaeStream demo");
        Line();
        Line(Invariant($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {r.WallTime.TotalSeconds:F0} s wall time. Broker: librdkafka's in-process mock Kafka cluster; the worker is the real pipeline (`vaestream run` wiring)."));
        Line();
        Line("| figure | value |");
        Line("|---|---|");
        Line(Invariant($"| events produced (valid + malformed) | {r.Produced} ({r.Produced - r.Malformed} + {r.Malformed}) |"));
        Line(Invariant($"| events scored | {r.Scored} |"));
        Line(Invariant($"| anomalies published | {r.Flagged} |"));
        Line(Invariant($"| dead letters | {r.DeadLettered} (malformed injected: {r.Malformed}) |"));
        Line(Invariant($"| scoring throughput | {r.EventsPerSecond:F0} events/s (first to last score; it includes catching up the warm-up backlog, so it is neither the offered rate nor the ceiling) |"));
        Line(Invariant($"| end-to-end latency p50 / p99 | {r.LatencyP50Ms:F1} ms / {r.LatencyP99Ms:F1} ms (event timestamp → anomaly acknowledged, {r.LatencySamples} anomalies produced after the first model went live) |"));
        Line(Invariant($"| precision / recall / F1 vs injected truth | {r.Detection.Precision:F3} / {r.Detection.Recall:F3} / {r.Detection.F1:F3} |"));
        Line(Invariant($"| false alarms (flagged events outside every injected fault) | {r.FalseAlarms} of {r.NormalEvents} normal events ({100.0 * r.FalseAlarms / Math.Max(1, r.NormalEvents):F3} %) |"));
        Line();
        Line("## Incidents: what would page");
        Line();
        Line("Anomalies of one host become one incident (settings `Incidents:*`, shipped defaults); the incidents topic gets an `open`, a few `update`s and a `resolved` per incident, not one message per anomaly.");
        Line();
        Line("| figure | value |");
        Line("|---|---|");
        double ratio = incidents.Incidents == 0 ? double.NaN : (double)r.Flagged / incidents.Incidents;
        Line(Invariant($"| incidents opened / anomaly messages | {incidents.Incidents} / {r.Flagged} ({ratio:F1} × fewer) |"));
        Line(Invariant($"| incident messages by state | {string.Join(", ", new[] { "open", "update", "resolved" }.Select(s => $"{s} {incidents.MessagesByState.GetValueOrDefault(s)}"))} |"));
        Line(Invariant($"| incident precision (share overlapping an injected segment) | {incidents.Detection.Precision:F3} |"));
        Line(Invariant($"| segment recall (injected segments overlapped by an incident) | {incidents.Detection.SegmentRecall:F3} |"));
        Line(Invariant($"| median time to detect (segment start → incident opened, event time) | {incidents.Detection.MedianTimeToDetect:F0} min |"));
        Line(Invariant($"| pages a day at this stream's rate ({incidents.Days:F2} days of event time) | {incidents.Incidents / incidents.Days:F1} incidents, against {r.Flagged / incidents.Days:F0} anomaly messages |"));
        Line(Invariant($"| drift incidents | {incidents.Drifts} |"));
        Line(Invariant($"| entity drift messages (one host's own lasting shift; the demo injects none) | {metrics.EntityDrifts} |"));
        Line();
        Line("## Recall by injected kind");
        Line();
        Line("| kind | found | injected | recall |");
        Line("|---|---|---|---|");
        foreach ((AnomalyKind kind, (int found, int injected)) in r.ByKind.OrderBy(k => k.Key))
        {
            Line(Invariant($"| {kind} | {found} | {injected} | {(double)found / injected:F3} |"));
        }

        Line();
        Line("## Expected values against each feature's spread");
        Line();
        Line("For the events the model did not flag: the median of |value − expected| per feature (what an anomaly message calls `expected`), against that feature's spread (standard deviation over all hosts and times). An on-call engineer reads `expected` as what the host normally does now; the target is at most half the spread.");
        Line();
        Line("| feature | median \\|value − expected\\| | spread (sd) | ratio | within half the spread |");
        Line("|---|---|---|---|---|");
        foreach ((string feature, double gap, double spread) in expectedAccuracy)
        {
            Line(Invariant($"| {feature} | {gap:G4} | {spread:G4} | {gap / spread:F2} | {(gap <= spread / 2 ? "yes" : "**no**")} |"));
        }

        Line();
        Line("## Models");
        Line();
        Line("| version | trained on rows | epochs | training s | threshold |");
        Line("|---|---|---|---|---|");
        IEnumerable<string> models = Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "model-v*.vae") : [];
        foreach (string path in models.Order(StringComparer.Ordinal))
        {
            using AnomalyDetector model = ModelCheckpoint.Load(path);
            ModelMetadata m = model.Metadata;
            Line(Invariant($"| {m.Version} | {m.TrainingRows} | {m.EpochsRun} | {m.DurationSeconds:F1} | {model.Threshold.Value:G4} |"));
        }

        Line();
        Line(Invariant($"Retrains: {metrics.Retrains} accepted, {metrics.RejectedRetrains} rejected; durations (training + validation): {string.Join(", ", metrics.RetrainHistory.Select(h => $"v{h.Version} {h.Seconds:F1}s{(h.Accepted ? "" : " rejected")}"))}."));
        Line();
        Line("## Host h00 over time");
        Line();
        Line("![score timeline](timeline.png)");
        string report = Path.Combine(directory, "report.md");
        File.WriteAllText(report, text.ToString());
        return report;
    }

    private static void SaveTimeline(string path, DemoRecorder recorder, EventFeed feed, string host)
    {
        ScoredEvent[] events = recorder.ScoredEvents.Where(e => e.Entity == host).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        if (events.Length == 0)
        {
            return;
        }

        ScorePlot.Save(path, $"{host}: anomaly score, threshold of the live model, injected anomalies, incidents",
            events.Select(e => e.Score).ToArray(),
            events.Select(e => feed.Truth.TryGetValue(e.Key, out AnomalyKind k) && k != AnomalyKind.None).ToArray(),
            events.Select(e => e.Threshold).ToArray(),
            "injected anomaly",
            DemoIncidents.InsideIncidents(recorder, host, [.. events.Select(e => e.Key)]));
    }

    /// <summary>Per feature: the median |value − expected| over unflagged events, and the feature's standard deviation.</summary>
    public static List<(string Feature, double MedianGap, double Spread)> ExpectedAccuracy(DemoRecorder recorder, IReadOnlyList<string> featureNames)
    {
        var result = new List<(string, double, double)>();
        int n = recorder.NormalValues.Count;
        for (int f = 0; f < featureNames.Count && n > 0; f++)
        {
            double[] gaps = [.. Enumerable.Range(0, n).Select(i => Math.Abs(recorder.NormalValues[i][f] - recorder.NormalExpected[i][f])).Order()];
            double mean = recorder.NormalValues.Average(v => v[f]);
            double spread = Math.Sqrt(recorder.NormalValues.Average(v => (v[f] - mean) * (v[f] - mean)));
            result.Add((featureNames[f], gaps[n / 2], spread));
        }

        return result;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
