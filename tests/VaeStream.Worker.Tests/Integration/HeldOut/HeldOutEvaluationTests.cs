using System.Diagnostics;
using System.Globalization;
using System.Text;
using VaeStream.Evaluation;
using VaeStream.Evaluation.Datasets;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.Hosting;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>
/// The held-out ops stream through <c>evaluate</c>'s protocol, to set it beside SMD and ASD in the same figures: per
/// host, the first <see cref="HeldOutStreamTests.WarmupEvents"/> ÷ hosts events train (the worker's warm-up, before any
/// anomaly), the rest are the test rows, labelled by their kind; VAE and pca_rw, batch and streaming mode. The worker's
/// own figures on the same stream (one model for the fleet, on the mock cluster) are <see cref="HeldOutStreamTests"/>.
/// </summary>
public sealed class HeldOutEvaluationTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory work = new("vaestream-heldout-evaluate-");

    public void Dispose() => work.Dispose();

    [Fact]
    public void Per_host_in_both_modes_the_vae_catches_the_segments_and_beats_pca_rw_on_batch_F1()
    {
        var stream = new HeldOutOpsStream(HeldOutStreamTests.Hosts, steps: 6_000, segmentsPerKind: 10, seed: 31, shifted: new HashSet<int> { 3 });
        List<HeldOutEvent> events = [.. stream.Generate()];
        string schema = Path.Combine(work.Path, "schema.json");
        File.WriteAllText(schema, HeldOutStreamTests.Schema);
        DetectorSettings settings = DetectorSettings.Load(VaeStreamHostingExtensions.ResolvePath("config/model.json"));
        var clock = Stopwatch.StartNew();
        List<EntityOutcome> outcomes = [.. Hosts(events).Select(host => EntityEvaluator.Evaluate(host, settings, FeatureSchema.Load(schema)))];
        output.WriteLine($"{outcomes.Count} hosts in {clock.Elapsed.TotalSeconds:F0} s, profile '{outcomes[0].Profile.Name}'");

        var table = new StringBuilder("| detector | mode | AUC-PR | VUS-PR | F1 | segment recall | delay (rows) | drifts | largest flagged share (labelled) |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach ((string detector, string mode, Func<EntityOutcome, EntityEvaluation> pick) in Sections)
        {
            List<EntityEvaluation> rows = [.. outcomes.Select(pick)];
            EntityEvaluation largest = rows.MaxBy(r => r.FlaggedRate)!;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {detector} | {mode} | {rows.Average(r => r.AveragePrecision):F3} | {rows.Average(r => r.VusPr):F3} | {rows.Average(r => r.Point.F1):F3} | " +
                $"{rows.Sum(r => r.Segments.Detected) / (double)rows.Sum(r => r.Segments.Segments):F3} | {rows.Select(r => r.Segments.MedianDelay).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average():F1} | " +
                $"{rows.Sum(r => r.Drifts)} | {largest.FlaggedRate:P1} {largest.Name} ({largest.AnomalyRate:P1}) |");
        }

        output.WriteLine(table.ToString());
        // Floors under the figures measured on 2026-12-05 (batch segment recall 1.000; streaming 1.000 with the worker's
        // threshold and drift rows, 0.951 before the drift rows held out their newest half, 0.902 with SPOT, where a
        // drift retrain learns a shifted host's recent rows); and "at least as good as pca_rw" as the worker's test reads it,
        // on F1, in batch mode. On ranking (AUC-PR) pca_rw is ahead on this stream (README, held-out stream).
        foreach ((string mode, Func<EntityOutcome, EntityEvaluation> vae, double floor) in new (string, Func<EntityOutcome, EntityEvaluation>, double)[]
        {
            ("batch", o => o.Vae, 0.9),
            ("streaming", o => o.VaeStreaming, 0.85),
        })
        {
            double segments = outcomes.Sum(o => vae(o).Segments.Detected) / (double)outcomes.Sum(o => vae(o).Segments.Segments);
            Assert.True(segments >= floor, $"{mode}: VAE segment recall {segments:F3}, floor {floor}");
        }

        double vaeF1 = outcomes.Average(o => o.Vae.Point.F1), pcaF1 = outcomes.Average(o => o.Baseline.Point.F1);
        Assert.True(vaeF1 >= pcaF1, $"batch: VAE F1 {vaeF1:F3}, pca_rw {pcaF1:F3}");
        double streamingF1 = outcomes.Average(o => o.VaeStreaming.Point.F1);
        Assert.True(streamingF1 >= 0.6, $"streaming: VAE F1 {streamingF1:F3}");
    }

    private static readonly (string Detector, string Mode, Func<EntityOutcome, EntityEvaluation> Pick)[] Sections =
    [
        ("VaeStream", "batch", o => o.Vae),
        ("VaeStream", "streaming", o => o.VaeStreaming),
        ("pca_rw", "batch", o => o.Baseline),
        ("pca_rw", "streaming", o => o.BaselineStreaming),
    ];

    // Each host's events in order, as one entity: its warm-up share trains, the rest is tested and labelled.
    private IEnumerable<LabelledEntity> Hosts(List<HeldOutEvent> events)
    {
        int warmupSteps = HeldOutStreamTests.WarmupEvents / HeldOutStreamTests.Hosts;
        foreach (IGrouping<string, HeldOutEvent> host in events.GroupBy(e => e.Key[..e.Key.IndexOf(':', StringComparison.Ordinal)]))
        {
            string Write(string part, IEnumerable<string> lines)
            {
                string path = Path.Combine(work.Path, $"{host.Key}.{part}");
                File.WriteAllLines(path, lines);
                return path;
            }

            List<HeldOutEvent> rows = [.. host];
            yield return new LabelledEntity(host.Key,
                Write("train.jsonl", rows.Take(warmupSteps).Select(e => Encoding.UTF8.GetString(e.Value))),
                Write("test.jsonl", rows.Skip(warmupSteps).Select(e => Encoding.UTF8.GetString(e.Value))),
                Write("labels.txt", rows.Skip(warmupSteps).Select(e => e.Kind == HeldOutKind.None ? "0" : "1")));
        }
    }
}
