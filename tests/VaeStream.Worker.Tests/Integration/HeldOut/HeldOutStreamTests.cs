using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using VaeStream.Evaluation.Baselines;
using VaeStream.Model.Features;
using VaeStream.Model.Scaling;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>
/// The held-out ops stream (<see cref="HeldOutOpsStream"/>) through the worker on the mock cluster, configured only by
/// settings, with the pca_rw baseline on the same events beside it: per kind, the share of segments with at least one
/// published anomaly; the precision of what was published; and the drift messages.
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class HeldOutStreamTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    internal const int Hosts = 8;
    internal const int WarmupEvents = 12_000; // 1,500 steps: two load cycles, before any anomaly

    // The shipped warm-up, for the tests that run at it.
    private static readonly int DefaultWarmupEvents = new VaeStream.Worker.Retraining.RetrainingOptions().WarmupEvents;

    internal const string Schema = """
        {
          "entityKeyPath": "host", "timestampPath": "ts", "window": 1,
          "features": [
            { "name": "cpu", "path": "cpu" }, { "name": "mem", "path": "mem" },
            { "name": "latency_p50", "path": "latency_ms.p50", "transform": "Log1p" },
            { "name": "latency_p99", "path": "latency_ms.p99", "transform": "Log1p" },
            { "name": "error_rate", "path": "error_rate" },
            { "name": "request_rate", "path": "request_rate", "transform": "Log1p" },
            { "name": "bytes_in", "path": "bytes_in", "transform": "Log1p" },
            { "name": "bytes_out", "path": "bytes_out", "transform": "Log1p" }
          ]
        }
        """;

    private readonly TempDirectory work = new("vaestream-heldout-");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Every_kind_is_caught_with_precision_and_the_vae_is_at_least_as_good_as_pca()
    {
        var stream = new HeldOutOpsStream(Hosts, steps: 6_000, segmentsPerKind: 10, seed: 31, shifted: new HashSet<int> { 3 });
        Run run = await RunAsync(stream, "heldout");
        Outcome vae = Measure(stream, run.Events, run.Paged.Contains);
        Outcome pca = Pca(stream, run.Events);
        int shiftFlags = run.Events.Count(e => e.Kind == HeldOutKind.LevelShift && run.Paged.Contains(e.Key));
        output.WriteLine($"VAE: {vae}; one host's level shift: {shiftFlags} of {run.Events.Count(e => e.Kind == HeldOutKind.LevelShift)} events flagged, {run.Drifts.Count} drift messages");
        output.WriteLine($"pca_rw: {pca}");
        run.Drifts.ForEach(d => output.WriteLine(d.RootElement.GetRawText()));

        Assert.All(vae.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {vae}"));
        Assert.True(vae.Precision >= 0.8, $"precision {vae.Precision:F3}; {vae}");
        // "At least as good": on the harmonic mean of precision and mean segment recall, one figure for both.
        Assert.True(vae.F1 >= pca.F1, $"VAE {vae}; pca_rw {pca}");

        // The one host's shift, which the fleet model does not flag event by event, is told by that host's residuals:
        // one entity drift message, naming the host and a metric that moved, and none for any other host.
        JsonElement shift = Assert.Single(run.Drifts).RootElement;
        Assert.Equal("entity", shift.GetProperty("scope").GetString());
        Assert.Equal("host-3", shift.GetProperty("entity").GetString());
        Assert.Contains(shift.GetProperty("movedFeatures").EnumerateArray().Select(m => m.GetProperty("feature").GetString()), f => f is "mem" or "cpu");
        Assert.Equal(1, run.EntityDrifts);
    }

    /// <summary>
    /// A stream a user points the worker at has faults from its first event: here 17 of the 60 segments end in the
    /// warm-up. Measured on 2026-12-05 (seed 31): every kind 1.00 at precision 0.921–0.963 over five runs, and 0.929–0.993
    /// over seven with the POT shape floor (<see cref="Model.Thresholds.ThresholdOptions.MinShape"/>). With the screen's
    /// threshold as the only cut (no lasting excursions, <see cref="VaeStream.Worker.Retraining.WarmupScreen"/>) it caught
    /// 0.57 of the correlation breaks and 0.60 of the slow ramps, at precision 1.000: the first model's threshold had been
    /// set on the faults the screen let through.
    /// </summary>
    [Fact]
    public async Task With_faults_in_the_warm_up_too_every_kind_is_caught_with_precision()
    {
        var stream = new HeldOutOpsStream(Hosts, steps: 6_000, segmentsPerKind: 10, seed: 31, shifted: new HashSet<int>(), cleanSteps: 0);
        Run run = await RunAsync(stream, "heldout-faulty-warmup");
        Outcome vae = Measure(stream, run.Events, run.Paged.Contains);
        Outcome pca = Pca(stream, run.Events);
        int inWarmup = stream.Segments - vae.Segments;
        output.WriteLine($"VAE: {vae}; {inWarmup} of {stream.Segments} segments ended in the warm-up");
        output.WriteLine($"pca_rw: {pca}");

        Assert.True(inWarmup >= stream.Segments / 10, $"only {inWarmup} segments in the warm-up");
        Assert.All(vae.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {vae}"));
        Assert.True(vae.Precision >= 0.8, $"precision {vae.Precision:F3}; {vae}");
        Assert.True(vae.F1 >= pca.F1, $"VAE {vae}; pca_rw {pca}");
    }

    /// <summary>
    /// Production runs for weeks, retraining all along on a window that keeps events up to twice the threshold, so it
    /// holds the mild faults. Here faults run throughout 192,000 events and a retrain is due every 20,000. Measured on
    /// 2026-12-05, three runs: the retrained models' thresholds stayed within 51–89, every kind's recall was 0.97–1.00
    /// after the first retrain, at precision 0.916–0.920 (0.921–0.925 over two runs with the POT shape floor). Without
    /// leaving the window's lasting excursions out of a retrain (<see cref="VaeStream.Worker.Retraining.LastingExcursions"/>),
    /// each retrain calibrated on the faults the window held: the threshold went from 71 to 118–195, and recall fell to
    /// 0.41 for correlation breaks and 0.70 for slow ramps.
    /// </summary>
    [Fact]
    public async Task Over_nine_retrains_with_faults_throughout_the_threshold_holds_and_mild_faults_stay_caught()
    {
        const int RetrainEvery = 20_000, Retrains = 9;
        int steps = (WarmupEvents + Retrains * RetrainEvery + RetrainEvery) / Hosts;
        var stream = new HeldOutOpsStream(Hosts, steps, segmentsPerKind: steps / 600, seed: 33, shifted: new HashSet<int>(), cleanSteps: 0);
        List<HeldOutEvent> events = [.. stream.Generate()];
        File.WriteAllText(SchemaPath, Schema);
        TestTopics topics = cluster.CreateTopics("heldout-retrains");
        var thresholds = new List<(int Version, double Threshold)>();
        // Measured from the first stretch a retrained model scored.
        const int FirstRetrainLiveFrom = WarmupEvents + RetrainEvery;
        await using (WorkerRun worker = Worker(topics, "retrains", ("Retraining:RetrainEveryEvents", RetrainEvery)))
        {
            await worker.StartAsync();
            cluster.ProduceAll(topics.Input, events.Take(WarmupEvents).Select(e => (e.Host, e.Value)));
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.ModelVersion >= 1, TimeSpan.FromSeconds(120)), "no first model");
            // One retrain's worth of events at a time, each once the retrain the one before triggered has ended, so each
            // stretch is scored by the model its predecessor's window trained, as on a live stream.
            for (int from = WarmupEvents, k = 1; from < events.Count; from += RetrainEvery, k++)
            {
                int to = Math.Min(events.Count, from + RetrainEvery);
                cluster.ProduceAll(topics.Input, events.Skip(from).Take(to - from).Select(e => (e.Host, e.Value)));
                Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= to, TimeSpan.FromSeconds(120)), $"scored {worker.Metrics.Scored} of {to}");
                // The model that scored this stretch: a finished retrain goes live at the stretch's first batch.
                thresholds.Add((worker.Metrics.ModelVersion, worker.Metrics.LiveThreshold));
                int retrain = k;
                if (to < events.Count)
                {
                    Assert.True(await Wait.UntilAsync(() => worker.Metrics.RetrainHistory.Count >= retrain, TimeSpan.FromSeconds(180)), $"retrain {retrain} did not end");
                }
            }

            output.WriteLine("retrains: " + History(worker.Metrics));
        }

        output.WriteLine("live threshold per stretch: " + string.Join(", ", thresholds.Select(t => $"v{t.Version} {t.Threshold:F1}")));
        List<ConsumeResult<string?, byte[]>> published = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(30));
        var paged = new HashSet<string>(PagedEvents(published, stream));
        Outcome vae = Measure(stream, events, paged.Contains, from: FirstRetrainLiveFrom);
        output.WriteLine($"after the first retrain: {vae}");

        Assert.True(thresholds.Count(t => t.Version > 1) >= Retrains - 2, "too few retrained models went live");
        Assert.All(vae.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {vae}"));
        Assert.True(vae.Precision >= 0.8, $"precision {vae.Precision:F3}; {vae}");
    }

    // A second generator, apart from the first (SharedCycleFleetStream): every host's load follows one daily cycle, so
    // the whole fleet is quiet at once and its counts are small then, and faults start from the first event. At the
    // default warm-up of 10,000 events, eight hosts' first model has seen 1,250 of the day's 1,440 minutes. At the
    // narrow profile's former beta of 2, latency doubled at night went unflagged (README "Narrow β").
    [Fact]
    public async Task On_a_fleet_sharing_one_daily_cycle_with_faults_from_the_start_every_kind_is_caught_with_precision()
    {
        var stream = new SharedCycleFleetStream(Hosts, steps: 6_000, segmentsPerKind: 10, seed: 41);
        Run run = await RunAsync(stream, "shared-cycle", schema: SharedCycleFleetStream.Schema, warmupEvents: DefaultWarmupEvents);
        Outcome vae = Measure(stream, run.Events, run.Paged.Contains, from: DefaultWarmupEvents);
        output.WriteLine($"VAE: {vae}; {run.Drifts.Count} drift messages; retrains: {run.RetrainHistory}");

        Assert.All(vae.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {vae}"));
        Assert.True(vae.Precision >= 0.8, $"precision {vae.Precision:F3}; {vae}");
    }

    // Twice the hosts: the default warm-up of 10,000 events covers 625 of the day's 1,440 minutes. Without the warm-up
    // done again on a whole day (DayCoverage), the first model scored the busy hours it had not seen 3-4 times the
    // others, and its one threshold either paged on them or sat above the quiet hours' faults: on seeds 41 and 43,
    // latency recall 0.00-0.50 over 9 runs, precision 0.28-0.99. The stream is a backlog, read partition by partition,
    // so the first model scores until most hosts have reported a day, well into the second for some; measured from
    // the third day on, when the redone model scores every event.
    [Fact]
    public async Task On_a_fleet_whose_warm_up_sees_under_half_its_day_the_warm_up_is_done_again_once_a_day_is_covered()
    {
        (Run run, Outcome redone) = await RunFleetFromTheThirdDayAsync(hosts: 16);

        // The replay is read far faster than a model trains: only a redo done inline goes live before the stream's end.
        Assert.StartsWith("v2 accepted", run.RetrainHistory, StringComparison.Ordinal);
        Assert.Empty(run.Drifts);
        Assert.All(redone.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {redone}"));
        // Small hosts' counts are noisy at night in Log1p (README "Warm-up over a day"): a storm guard, not a target.
        Assert.True(redone.Precision >= 0.6, $"precision {redone.Precision:F3}; {redone}");
    }

    // Ten hosts: the warm-up covers 1,000 of the day's 1,440 minutes, and the first model flagged the busy hours it had
    // not seen beyond the drift guard's limit before the day was covered. The drift retrain then trained in the
    // background while the backlog was scored to its end, its alarms suppressed. Catching up on a backlog before the
    // day is covered, the drift retrain now trains inline, and the warm-up is still redone once the day is.
    [Fact]
    public async Task On_a_fleet_whose_first_model_drifts_on_the_hours_it_has_not_seen_the_rest_of_a_backlog_is_not_muted()
    {
        (_, Outcome redone) = await RunFleetFromTheThirdDayAsync(hosts: 10);

        Assert.All(redone.RecallByKind, k => Assert.True(k.Value >= 0.9, $"{k.Key}: segment recall {k.Value:F2}; {redone}"));
        Assert.True(redone.Precision >= 0.6, $"precision {redone.Precision:F3}; {redone}");
    }

    // The shared-cycle fleet of `hosts` (seed 41) as a backlog at the shipped warm-up; measured from the third day on,
    // when the first model no longer scores any host's events.
    private async Task<(Run Run, Outcome FromTheThirdDay)> RunFleetFromTheThirdDayAsync(int hosts)
    {
        var stream = new SharedCycleFleetStream(hosts, steps: 6_000, segmentsPerKind: 10, seed: 41);
        Run run = await RunAsync(stream, $"shared-cycle-{hosts}", schema: SharedCycleFleetStream.Schema, warmupEvents: DefaultWarmupEvents);
        Outcome vae = Measure(stream, run.Events, run.Paged.Contains, from: DefaultWarmupEvents);
        Outcome redone = Measure(stream, run.Events, run.Paged.Contains, from: 2 * SharedCycleFleetStream.StepsPerDay * hosts);
        output.WriteLine($"VAE: {vae}; {run.Drifts.Count} drift messages; retrains: {run.RetrainHistory}");
        output.WriteLine($"from the third day: {redone}");
        return (run, redone);
    }

    [Fact]
    public async Task A_lasting_shift_of_every_host_raises_one_drift_message_and_a_retrain_on_recent_events_makes_it_normal()
    {
        var stream = new HeldOutOpsStream(Hosts, steps: 6_000, segmentsPerKind: 2, seed: 32, shifted: new HashSet<int>(Enumerable.Range(0, Hosts)), shift: 80);
        int settled = (HeldOutOpsStream.ShiftStep + HeldOutOpsStream.ShiftLabelSteps) * Hosts;
        // The events after the shift settled are produced once the drift retrain has ended, so they meet its model.
        // Keyed by host, each partition's hosts cross the shift at a pace of their own: the newest recent rows the
        // drift candidate is validated on can be a lagging partition's old level (CandidateValidator.CheckDrift).
        Run run = await RunAsync(stream, "drift", holdBackFrom: settled);
        List<HeldOutEvent> after = [.. run.Events.Skip(Math.Max(settled, run.LiveFrom)).Where(e => e.Kind == HeldOutKind.None)];
        double flaggedAfter = after.Count(e => run.Paged.Contains(e.Key)) / (double)after.Count;
        // The guard's limit in the shipped settings' profile for this schema's 8 features.
        Model.Thresholds.ThresholdOptions threshold = Model.Detection.DetectorSettings
            .Load(VaeStream.Worker.Hosting.VaeStreamHostingExtensions.ResolvePath("config/model.json")).For(8, 1).Options.Threshold;
        double limit = threshold.Drift.Factor * threshold.Risk;
        output.WriteLine($"{run.Drifts.Count} drift messages, {run.DriftsCounted} drifts counted, {run.Retrains} retrains accepted ({run.RetrainHistory}); flagged after the shift settled {flaggedAfter:P2} (guard limit {limit:P1})");

        JsonDocument drift = Assert.Single(run.Drifts);
        output.WriteLine(drift.RootElement.GetRawText());
        Assert.Equal(1, run.DriftsCounted);
        Assert.Equal("drift", drift.RootElement.GetProperty("kind").GetString());
        Assert.Equal("fleet", drift.RootElement.GetProperty("scope").GetString());
        // The drift is one incident of its own, open from the declaration until the retrained model went live.
        IGrouping<string, IncidentSnapshot> driftIncident = Assert.Single(run.Incidents.Where(m => m.Kind == "drift").GroupBy(m => m.Id));
        Assert.Equal([IncidentState.Open, IncidentState.Resolved], driftIncident.OrderBy(m => m.Sequence).Select(m => m.State));
        Assert.Equal("retrained", driftIncident.MaxBy(m => m.Sequence)!.ResolvedBy);
        Assert.Equal(IncidentPublisher.FleetEntity, driftIncident.First().Entity);
        string[] moved = [.. drift.RootElement.GetProperty("movedFeatures").EnumerateArray().Select(m => m.GetProperty("feature").GetString()!)];
        Assert.Contains("mem", moved);
        Assert.True(run.Retrains >= 1, $"{run.Retrains} retrains accepted");
        Assert.True(flaggedAfter < limit, $"flagged {flaggedAfter:P2} of the events after the shift settled (guard limit {limit:P1})");
    }

    /// <summary>What one run published and counted; <paramref name="LiveFrom"/> is the first event produced after a retrain went live.</summary>
    private sealed record Run(List<HeldOutEvent> Events, HashSet<string> Paged, List<JsonDocument> Drifts, long DriftsCounted, long Retrains, int LiveFrom,
        string RetrainHistory, List<IncidentSnapshot> Incidents, long EntityDrifts);

    // The events go to the broker in phases, each once the worker has dealt with the one before: a backlog of four
    // partitions is not read in time order, so the warm-up would otherwise learn from later events, anomalies and the
    // shift among them. First the warm-up events, until the first model is live; then up to holdBackFrom, until a
    // retrain has gone live; then the rest. Each event is keyed by its host, so a host's events stay in order on one
    // partition, as an entity's own drift needs.
    private async Task<Run> RunAsync(IHeldOutStream stream, string name, int? holdBackFrom = null, string schema = Schema, int warmupEvents = WarmupEvents)
    {
        List<HeldOutEvent> events = [.. stream.Generate()];
        File.WriteAllText(SchemaPath, schema);
        TestTopics topics = cluster.CreateTopics(name);
        void Produce(int from, int to) => cluster.ProduceAll(topics.Input, events.Skip(from).Take(to - from).Select(e => (e.Host, e.Value)));
        int held = holdBackFrom ?? events.Count;
        long drifts, retrains, entityDrifts;
        string history;
        await using (WorkerRun worker = Worker(topics, name, ("Retraining:WarmupEvents", warmupEvents)))
        {
            await worker.StartAsync();
            Produce(0, warmupEvents);
            Assert.True(await Wait.UntilAsync(() => worker.Metrics.ModelVersion >= 1, TimeSpan.FromSeconds(120)), "no first model");
            Produce(warmupEvents, held);
            if (held < events.Count)
            {
                // Until a retrain has gone live, the rest comes in chunks of 50 steps: a rejected or failed drift
                // retrain is retried on the next batch, and batches need events.
                Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= held, TimeSpan.FromSeconds(180)), $"scored {worker.Metrics.Scored} of {held}");
                while (held < events.Count && !await Wait.UntilAsync(() => worker.Metrics.Retrains >= 1, TimeSpan.FromSeconds(30)))
                {
                    int next = Math.Min(events.Count, held + 50 * Hosts);
                    Produce(held, next);
                    held = next;
                }

                Assert.True(worker.Metrics.Retrains >= 1, $"no retrain went live; {worker.Metrics.Drifts} drifts; ended: " +
                    History(worker.Metrics));
                Produce(held, events.Count);
            }

            Assert.True(await Wait.UntilAsync(() => worker.Metrics.Scored >= events.Count, TimeSpan.FromSeconds(180)),
                $"scored {worker.Metrics.Scored} of {events.Count}");
            (drifts, retrains, entityDrifts) = (worker.Metrics.Drifts, worker.Metrics.Retrains, worker.Metrics.EntityDrifts);
            history = History(worker.Metrics);
        }

        List<ConsumeResult<string?, byte[]>> published = cluster.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(30));
        return new Run(events, [.. PagedEvents(published, stream)],
            [.. published.Where(r => r.Message.Key == "drift").Select(r => JsonDocument.Parse(r.Message.Value))], drifts, retrains, held, history,
            [.. cluster.ReadToEnd(topics.Incidents, TimeSpan.FromSeconds(20)).Select(r => IncidentMessages.Read(r.Message.Value)).OfType<IncidentSnapshot>()], entityDrifts);
    }

    // The worker on the mock cluster, configured only by settings: the held-out schema, the warm-up, and `extra`.
    private WorkerRun Worker(TestTopics topics, string name, params (string Key, int Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Features:SchemaPath"] = SchemaPath,
            ["Retraining:WarmupEvents"] = WarmupEvents.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach ((string key, int value) in extra)
        {
            settings[key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new WorkerRun(cluster, topics, Path.Combine(work.Path, name), settings);
    }

    private static string History(WorkerMetrics metrics) =>
        string.Join("; ", metrics.RetrainHistory.Select(r => $"v{r.Version} {(r.Accepted ? "accepted" : r.Reason)}"));

    // Anomalies carry the host's key; the event they stand for is told by the entity and event time they name.
    private static IEnumerable<string> PagedEvents(IEnumerable<ConsumeResult<string?, byte[]>> published, IHeldOutStream stream) =>
        published.Where(r => r.Message.Key != "drift").Select(r => EventKey(r.Message.Value, stream));

    private static string EventKey(byte[] anomaly, IHeldOutStream stream)
    {
        using JsonDocument message = JsonDocument.Parse(anomaly);
        return stream.EventKey(message.RootElement.GetProperty("entity").GetString()!, message.RootElement.GetProperty("eventTime").GetDateTimeOffset());
    }

    private string SchemaPath => Path.Combine(work.Path, "schema.json");

    /// <summary>Segment recall per kind over the <paramref name="Segments"/> injected segments that reach past the measured start (the warm-up's end), and point precision of the flagged events.</summary>
    private sealed record Outcome(Dictionary<HeldOutKind, double> RecallByKind, double Precision, int Flagged, int Segments)
    {
        public double MeanRecall => RecallByKind.Values.Average();

        public double F1 => Precision + MeanRecall == 0 ? 0 : 2 * Precision * MeanRecall / (Precision + MeanRecall);

        public override string ToString() =>
            $"{string.Join(", ", RecallByKind.Select(k => $"{k.Key} {k.Value:F2}"))}; precision {Precision:F3} of {Flagged} flagged; F1 {F1:F3}";
    }

    private static Outcome Measure(IHeldOutStream stream, List<HeldOutEvent> events, Func<string, bool> flagged, int from = WarmupEvents)
    {
        var caught = new HashSet<int>();
        int flags = 0, truePositives = 0;
        foreach (HeldOutEvent e in events.Skip(from))
        {
            if (!flagged(e.Key))
            {
                continue;
            }

            flags++;
            truePositives += e.Kind == HeldOutKind.None ? 0 : 1;
            if (e.Segment >= 0)
            {
                caught.Add(e.Segment);
            }
        }

        // A segment that ended before `from` (inside the warm-up) had nothing live to flag it; it counts in no kind's recall.
        var scored = events.Skip(from).Where(e => e.Segment >= 0).Select(e => e.Segment).ToHashSet();
        Dictionary<HeldOutKind, double> recall = stream.SegmentKinds.Where(s => scored.Contains(s.Key)).GroupBy(s => s.Value)
            .ToDictionary(g => g.Key, g => g.Count(s => caught.Contains(s.Key)) / (double)g.Count());
        return new Outcome(recall, flags == 0 ? 0 : truePositives / (double)flags, flags, scored.Count);
    }

    // pca_rw as the data README defines it, fitted on the same warm-up events the worker learns its first model from,
    // thresholded at the 99.9% quantile of its held-out tail, then scoring every later event once.
    private Outcome Pca(IHeldOutStream stream, List<HeldOutEvent> events)
    {
        string jsonl = Path.Combine(work.Path, "events.jsonl");
        File.WriteAllLines(jsonl, events.Select(e => Encoding.UTF8.GetString(e.Value)));
        FeatureTable table = FeatureTable.Read(jsonl, FeatureSchema.Load(SchemaPath));
        int f = table.Schema.FeatureCount;
        PcaBaseline pca = PcaBaseline.Fit(table.Values.AsSpan(0, WarmupEvents * f), f);
        double threshold = Quantiles.Of(pca.TailScores, 0.999);
        float[] scores = pca.Score(table.Values);
        var flagged = new HashSet<string>(events.Where((e, i) => scores[i] > threshold).Select(e => e.Key));
        return Measure(stream, events, flagged.Contains);
    }
}
