using VaeStream.Bench.Peers;
using VaeStream.Bench.Pipeline;
using VaeStream.Model;
using VaeStream.Testing;

// VaeStream benchmarks:
//   (no argument) | all [EVENTS]   the whole-pipeline suite and the ML.NET comparison; rewrites docs/benchmarks.md
//   pipeline [EVENTS]              the whole-pipeline suite only; rewrites docs/benchmarks.md without the comparison
//   micro                          BenchmarkDotNet micro-benchmarks (feature extraction, scoring by batch size, training)
//   throughput [EVENTS]            scenarios 1 and 2 alone (raw consumer, worker), to run under a profiler
//   latency [EVENTS/S]             scenario 3 alone at a given offered load (default 60,000/s), with its stage breakdown
//   pauses [SECONDS]               scenario 6 alone: scoring pauses while retrains run under a continuous load
//   soak [RETRAINS] [ARENAS]       vaestream run retraining back to back: RSS after every 10 retrains (default 50);
//                                  ARENAS sets MALLOC_ARENA_MAX for the worker instead of its own cap, for comparison
//   entity-drift DIR [ROWS] [FACTOR]  a labelled set's entities as one fleet through the worker's entity drift
//                                  (Pipeline:EntityDriftRows, Pipeline:EntityDriftFactor; shipped values by default)
string mode = args.Length > 0 ? args[0] : "all";
if (mode == "micro")
{
    VaeStream.Bench.Micro.MicroBenchmarks.Run(args[1..]);
    return 0;
}

if (mode == "throughput")
{
    TorchRuntime.Initialize(threads: 1);
    await PipelineSuite.WorkerThroughputOnlyAsync(new SuiteOptions(Events: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000), Console.Out);
    return 0;
}

if (mode == "gc")
{
    TorchRuntime.Initialize(threads: 1);
    await PipelineSuite.GcStudyOnlyAsync(new SuiteOptions(), args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2, Console.Out);
    return 0;
}

if (mode == "aggregated")
{
    TorchRuntime.Initialize(threads: 1);
    using var work = new VaeStream.Testing.TempDirectory("vaestream-bench-aggregated-");
    using var cluster = new VaeStream.Bench.Pipeline.BenchCluster();
    AggregatedResult aggregated = await AggregatedThroughput.RunAsync(cluster, work.Path, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 600_000);
    Console.WriteLine($"7. aggregated: {aggregated.EventsPerSecond:N0} raw events/s (first pass {aggregated.FirstPassEventsPerSecond:N0}/s), {aggregated.Rows:N0} rows scored, {aggregated.Cpu.MicrosecondsPerEvent:F1} µs CPU per event, peak RSS {aggregated.PeakRssMb:F0} MB; by thread: {string.Join(", ", aggregated.ThreadMicroseconds.Select(t => $"{t.Key} {t.Value:F2} µs"))}");
    return 0;
}

if (mode == "latency")
{
    TorchRuntime.Initialize(threads: 1);
    await PipelineSuite.LatencyOnlyAsync(new SuiteOptions(), args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60_000, Console.Out);
    return 0;
}

if (mode == "pauses")
{
    TorchRuntime.Initialize(threads: 1);
    double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : new SuiteOptions().RetrainPauseSeconds;
    await PipelineSuite.RetrainPausesOnlyAsync(new SuiteOptions(RetrainPauseSeconds: seconds), Console.Out);
    return 0;
}

if (mode == "soak")
{
    TorchRuntime.Initialize(threads: 1);
    int retrains = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
    int? arenas = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null;
    RetrainSoakResult soak = await RetrainSoak.RunAsync(retrains, arenas, Console.Out);
    Console.WriteLine($"soak ({soak.Arenas}): RSS after {soak.Retrains} retrains {soak.Samples[^1].RssMb:F0} MB, peak {soak.PeakRssMb:F0} MB, " +
        $"in {soak.Elapsed.TotalMinutes:F1} min; target ≤ 1024 MB ({(soak.Samples[^1].RssMb <= 1024 ? "met" : "missed")})");
    return 0;
}

if (mode == "entity-drift" && args.Length > 1)
{
    TorchRuntime.Initialize(threads: 1);
    var defaults = new VaeStream.Worker.Pipeline.PipelineOptions();
    VaeStream.Bench.Drift.FleetEntityDrift.Run(args[1], new VaeStream.Worker.Pipeline.PipelineOptions
    {
        EntityDriftRows = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : defaults.EntityDriftRows,
        EntityDriftFactor = args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : defaults.EntityDriftFactor,
    }, Console.Out);
    return 0;
}

if (mode is not ("all" or "pipeline"))
{
    await Console.Error.WriteLineAsync("usage: dotnet run --project bench/VaeStream.Bench -c Release -- [all|pipeline [EVENTS]|micro|throughput [EVENTS]|gc [ROUNDS]|latency [EVENTS/S]|pauses [SECONDS]|aggregated [EVENTS]|soak [RETRAINS] [ARENAS]|entity-drift DIR [ROWS] [FACTOR]]");
    return 2;
}

int events = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var elapsed = System.Diagnostics.Stopwatch.StartNew();
TorchRuntime.Initialize(threads: 1);
SuiteResult result = await PipelineSuite.RunAsync(new SuiteOptions(Events: events), Console.Out);
Console.WriteLine($"worker/raw = {result.WorkerToRaw:P1}; retrain/no-retrain = {result.RetrainToNoRetrain:P1}");
List<PeerSummary>? peers = mode == "all" ? PeerComparison.Run(RepositoryRoot.SharedData, Console.Out) : null;
string output = Path.Combine(RepositoryRoot.Path, "docs", "benchmarks.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
string command = $"dotnet run --project bench/VaeStream.Bench -c Release{(args.Length > 0 ? " -- " + string.Join(' ', args) : "")}";
Console.WriteLine($"wrote {BenchmarkReport.Write(output, result, peers, command, elapsed.Elapsed)}");
return 0;
