using System.Diagnostics;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using VaeStream.Testing;
using VaeStream.Worker.Hosting;
using VaeStream.Worker.Operations;

namespace VaeStream.Bench.Pipeline;

/// <summary>Settings of one suite run.</summary>
internal sealed record SuiteOptions(int Events = 1_000_000, int RetrainWindow = 100_000, double LatencySeconds = 10, int Hosts = 20, double RetrainPauseSeconds = 30);

/// <summary>Every figure of one suite run, measured in this process.</summary>
internal sealed record SuiteResult(
    int Events,
    double RawFirstPassEventsPerSecond,
    double RawEventsPerSecond,
    CpuCost RawCpu,
    double WorkerFirstPassEventsPerSecond,
    double WorkerEventsPerSecond,
    CpuCost WorkerCpu,
    double WorkerPeakRssMb,
    double WorkerBusyFraction,
    IReadOnlyList<LatencyResult> Latency,
    double RetrainEventsPerSecond,
    double BeforeRetrainEventsPerSecond,
    TimeSpan RetrainOverlap,
    double RetrainSeconds,
    int RetrainRows,
    bool RetrainAccepted,
    double RetrainPeakRssMb,
    SeparateWorkerResult Alone,
    SeparateWorkerResult AloneRetraining,
    ThroughputResult Pipelined,
    ThroughputResult Serial,
    IReadOnlyList<GcTrial> GcTrials,
    EntityMemoryResult Entities,
    RetrainPauseResult Pauses,
    IReadOnlyList<(int BatchSize, double EventsPerSecond)> ScoringByBatchSize,
    TimeSpan Pretraining,
    AggregatedResult Aggregated,
    TimeSpan Total)
{
    public double WorkerToRaw => WorkerEventsPerSecond / RawEventsPerSecond;

    /// <summary>
    /// Against scenario 2's steady rate over the same backlog in this process. The same run's span before its retrain
    /// is no baseline: it is the first 100,000 events of a new host, the group join's ramp-up included (it read 149%
    /// and 139% in two runs).
    /// </summary>
    public double RetrainToNoRetrain => RetrainEventsPerSecond / WorkerEventsPerSecond;
}

/// <summary>
/// The worker at full speed over the backlog: its rate, memory and CPU, the time per event in each pipeline stage
/// (on the thread that runs it), and the CPU per event of each thread group.
/// </summary>
internal sealed record ThroughputResult(double EventsPerSecond, double PeakRssMb, double BusyFraction, CpuCost Cpu,
    IReadOnlyDictionary<PipelineStage, double> StageMicroseconds, IReadOnlyDictionary<string, double> ThreadMicroseconds);

/// <summary>The worker as its own process under one set of .NET GC settings, given as the environment variables set.</summary>
internal sealed record GcTrial(string Name, string Variables, SeparateWorkerResult Result);

/// <summary>Resident memory with many tracked entities (window > 1), before and after the worker ran.</summary>
internal sealed record EntityMemoryResult(int Window, int Hosts, double TrackedEntities, double Evictions, double RssBeforeMb, double RssSteadyMb);

/// <summary>
/// Scoring pauses while retrains run under a continuous paced load: the longest gap between two scored events that
/// overlaps a retrain, and the longest outside every retrain of the same run, for comparison.
/// </summary>
internal sealed record RetrainPauseResult(double OfferedPerSecond, int Events, int Window, TimeSpan MaxBatchDelay, int Retrains, int Accepted,
    double LongestGapDuringRetrainsMs, double LongestGapOutsideRetrainsMs, double RetrainSecondsMean)
{
    /// <summary>The target: a retrain may hold scoring up for two batch delays and 50 ms, no more.</summary>
    public double TargetMs => 2 * MaxBatchDelay.TotalMilliseconds + 50;

    public bool Met => Retrains > 0 && LongestGapDuringRetrainsMs <= TargetMs;
}

/// <summary>
/// One paced-load run: offered and achieved rates, and the anomaly latencies. <paramref name="Typical"/> is the
/// median of each stage; <paramref name="Tail"/> the mean of each stage over the slowest 1% of anomalies.
/// <paramref name="BusyCores"/> is the process's CPU time over the paced phase's wall time (generator included).
/// <paramref name="LongestScoringGapMs"/> and <paramref name="Gc"/> say whether the worker stalled, and why.
/// <paramref name="ReceiptToAckP99"/> is the p99 of the worker's own part: received by the consume thread → acknowledged.
/// </summary>
internal sealed record LatencyResult(TimeSpan MaxBatchDelay, double OfferedPerSecond, int Samples, double P50, double P99, double P999,
    IReadOnlyList<double> Sorted, LatencyStages Typical, LatencyStages Tail, double BusyCores, double LongestScoringGapMs, GcActivity Gc,
    TimeSpan GroupJoin, double ReceiptToAckP99);

/// <summary>
/// The whole-pipeline suite on librdkafka's mock cluster: the raw consume path, the worker at full speed, the worker
/// under a paced half load at three batch delays, the worker during a retrain on a large window, and scoring pauses
/// while retrains follow each other under a continuous paced load.
/// </summary>
internal static class PipelineSuite
{
    private static int pacedRuns;

    public static async Task<SuiteResult> RunAsync(SuiteOptions options, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        using var work = new TempDirectory("vaestream-bench-");
        FeatureSchema schema = BenchInputs.OpsSchema();
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        TimeSpan pretraining = PretrainedModel.Write(checkpoints, schema, rows: 20_000, options.Hosts);
        await log.WriteLineAsync($"pre-trained model v1 on 20,000 events in {pretraining.TotalSeconds:F1} s");
        List<(int BatchSize, double EventsPerSecond)> sweep = ScoringSweep.Run(Path.Combine(checkpoints, "model-v000001.vae"), schema);
        await log.WriteLineAsync("0. VAE scoring by batch size: " + string.Join(", ", sweep.Select(p => $"{p.BatchSize}: {p.EventsPerSecond:N0}/s")));

        using var cluster = new BenchCluster();
        var produce = Stopwatch.StartNew();
        List<string> topics = cluster.PreProduce("backlog", options.Events, new OpsEventGenerator(options.Hosts, 0.01, seed: 5));
        await log.WriteLineAsync($"pre-produced {options.Events:N0} events to {topics.Count} topics × {BenchCluster.PartitionsPerTopic} partitions in {produce.Elapsed.TotalSeconds:F1} s");

        // Each path reads the backlog twice and the second pass counts: the first one is measured as well, but it
        // includes tiered compilation of the hot paths, which a long-running worker pays once.
        (double rawFirst, _, _) = RawConsumerRun.Run(cluster.BootstrapServers, topics, options.Events);
        (double raw, TimeSpan rawElapsed, CpuCost rawCpu) = RawConsumerRun.Run(cluster.BootstrapServers, topics, options.Events);
        await log.WriteLineAsync($"1. raw consumer: {raw:N0} events/s ({rawElapsed.TotalSeconds:F2} s; first pass {rawFirst:N0}/s); {Describe(rawCpu)}");

        double workerFirst = (await MaxThroughput(cluster, topics, checkpoints, options.Events)).EventsPerSecond;
        ThroughputResult pipelined = await MaxThroughput(cluster, topics, checkpoints, options.Events);
        (double worker, double workerPeak, double busy, CpuCost workerCpu) = (pipelined.EventsPerSecond, pipelined.PeakRssMb, pipelined.BusyFraction, pipelined.Cpu);
        await log.WriteLineAsync($"2. worker: {worker:N0} events/s (first pass {workerFirst:N0}/s); worker/raw = {worker / raw:P0}; scoring thread busy {busy:P0}; peak RSS {workerPeak:F0} MB; {Describe(workerCpu)}");
        await log.WriteLineAsync($"   per event by stage: {Describe(pipelined.StageMicroseconds)}; by thread: {Describe(pipelined.ThreadMicroseconds)}");
        ThroughputResult serial = await MaxThroughput(cluster, topics, checkpoints, options.Events, BenchWorkerSettings.OnePipelineThread);
        await log.WriteLineAsync($"2c. worker with one pipeline thread (Pipeline:ExtractAhead = false): {serial.EventsPerSecond:N0} events/s; worker/raw = {serial.EventsPerSecond / raw:P0}; " +
            $"{Describe(serial.Cpu)}; by stage: {Describe(serial.StageMicroseconds)}");
        SeparateWorkerResult alone = await SeparateWorkerRun.RunAsync(cluster.BootstrapServers, topics, checkpoints, options.Events, retrains: 0,
            new Dictionary<string, string?>());
        await log.WriteLineAsync($"2b. worker as its own process: peak RSS {alone.PeakRssMb:F0} MB; a cold process's single pass, JIT included: {alone.EventsPerSecond:N0} events/s, {alone.CpuMicrosecondsPerEvent:F1} µs CPU per event");

        List<GcTrial> gcTrials = await GcStudy(cluster, topics, checkpoints, options, log);

        List<LatencyResult> latency = await LatencyRuns(cluster, checkpoints, worker, options, log);

        (double during, double before, TimeSpan overlap, RetrainRecord? retrain, double retrainPeak) = await DuringRetrain(cluster, topics, checkpoints, options);
        await log.WriteLineAsync($"4. during a retrain on {retrain?.Rows ?? 0:N0} rows: {during:N0} events/s over {overlap.TotalSeconds:F1} s, " +
            $"{before:N0} events/s before it in the same run (start-up included); retrain/no-retrain = {during / worker:P0} against scenario 2; retrain took {retrain?.Seconds ?? double.NaN:F1} s; peak RSS {retrainPeak:F0} MB");

        SeparateWorkerResult aloneRetraining = await SeparateWorkerRun.RunAsync(cluster.BootstrapServers, topics, checkpoints, options.Events, retrains: 1,
            BenchWorkerSettings.RetrainingEvery(options.RetrainWindow));
        await log.WriteLineAsync($"4b. worker as its own process, through a retrain on a {options.RetrainWindow:N0}-event window: peak RSS {aloneRetraining.PeakRssMb:F0} MB");

        EntityMemoryResult entities = await TrackedEntities(cluster, work.Path);
        await log.WriteLineAsync($"5. window {entities.Window}, {entities.Hosts:N0} hosts: {entities.TrackedEntities:N0} entities tracked, " +
            $"RSS {entities.RssBeforeMb:F0} MB before the worker, {entities.RssSteadyMb:F0} MB steady");

        RetrainPauseResult pauses = await RetrainPauses(cluster, checkpoints, options);
        await log.WriteLineAsync($"6. {Describe(pauses)}");

        AggregatedResult aggregated = await AggregatedThroughput.RunAsync(cluster, work.Path, 600_000);
        await log.WriteLineAsync($"7. aggregated schema, {aggregated.Entities:N0} hosts, {aggregated.Interval.TotalSeconds:F0} s intervals of {aggregated.EventsPerRow} events: " +
            $"{aggregated.EventsPerSecond:N0} raw events/s (first pass {aggregated.FirstPassEventsPerSecond:N0}/s; {aggregated.EventsPerSecond / worker:P0} of scenario 2's per-event worker), {aggregated.Rows:N0} rows scored, {Describe(aggregated.Cpu)}, peak RSS {aggregated.PeakRssMb:F0} MB");

        return new SuiteResult(options.Events, rawFirst, raw, rawCpu, workerFirst, worker, workerCpu, workerPeak, busy, latency, during, before, overlap, retrain?.Seconds ?? double.NaN,
            retrain?.Rows ?? 0, retrain?.Accepted ?? false, retrainPeak, alone, aloneRetraining, pipelined, serial, gcTrials, entities, pauses, sweep, pretraining, aggregated, total.Elapsed);
    }

    /// <summary>Scenarios 1 and 2 alone (for profiling): pre-train, pre-produce, the raw consumer, then the worker at full speed, each twice.</summary>
    public static async Task<double> WorkerThroughputOnlyAsync(SuiteOptions options, TextWriter log)
    {
        using var work = new TempDirectory("vaestream-bench-");
        FeatureSchema schema = BenchInputs.OpsSchema();
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        PretrainedModel.Write(checkpoints, schema, rows: 20_000, options.Hosts);
        using var cluster = new BenchCluster();
        List<string> topics = cluster.PreProduce("backlog", options.Events, new OpsEventGenerator(options.Hosts, 0.01, seed: 5));
        RawConsumerRun.Run(cluster.BootstrapServers, topics, options.Events);
        (double raw, _, CpuCost rawCpu) = RawConsumerRun.Run(cluster.BootstrapServers, topics, options.Events);
        await log.WriteLineAsync($"raw consumer: {raw:N0} events/s; {Describe(rawCpu)}");
        ThroughputResult first = await MaxThroughput(cluster, topics, checkpoints, options.Events);
        await log.WriteLineAsync($"first worker pass: {first.EventsPerSecond:N0} events/s; {Describe(first.Cpu)}");
        await log.WriteLineAsync($"worker phase starts at {DateTime.UtcNow:HH:mm:ss.fff}");
        ThroughputResult second = await MaxThroughput(cluster, topics, checkpoints, options.Events);
        await log.WriteLineAsync($"worker: {second.EventsPerSecond:N0} events/s, worker/raw = {second.EventsPerSecond / raw:P0}, scoring thread busy {second.BusyFraction:P0}; " +
            $"{Describe(second.Cpu)}; by stage: {Describe(second.StageMicroseconds)}; by thread: {Describe(second.ThreadMicroseconds)}; ends at {DateTime.UtcNow:HH:mm:ss.fff}");
        return second.EventsPerSecond;
    }

    /// <summary>The GC settings study alone (scenario 2d), <paramref name="rounds"/> times over, printed.</summary>
    public static async Task GcStudyOnlyAsync(SuiteOptions options, int rounds, TextWriter log)
    {
        using var work = new TempDirectory("vaestream-bench-");
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        PretrainedModel.Write(checkpoints, BenchInputs.OpsSchema(), rows: 20_000, options.Hosts);
        using var cluster = new BenchCluster();
        List<string> topics = cluster.PreProduce("backlog", options.Events, new OpsEventGenerator(options.Hosts, 0.01, seed: 5));
        for (int round = 1; round <= rounds; round++)
        {
            await log.WriteLineAsync($"round {round} of {rounds}");
            await GcStudy(cluster, topics, checkpoints, options, log);
        }
    }

    /// <summary>Scenario 3 alone, at <paramref name="fullRate"/> × 0.5 (and × 0.1), to study the latency stages.</summary>
    public static async Task LatencyOnlyAsync(SuiteOptions options, double fullRate, TextWriter log)
    {
        using var work = new TempDirectory("vaestream-bench-");
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        PretrainedModel.Write(checkpoints, BenchInputs.OpsSchema(), rows: 20_000, options.Hosts);
        using var cluster = new BenchCluster();
        // The suite runs this after scenario 2 has warmed the worker's code; here one discarded run does that.
        await PacedLatency(cluster, checkpoints, TimeSpan.FromMilliseconds(10), 0.5 * fullRate, options);
        await LatencyRuns(cluster, checkpoints, fullRate, options, log);
    }

    private static async Task<List<LatencyResult>> LatencyRuns(BenchCluster cluster, string checkpoints, double fullRate, SuiteOptions options, TextWriter log)
    {
        var latency = new List<LatencyResult>();
        foreach ((int delayMs, double load) in new[] { (5, 0.5), (10, 0.5), (50, 0.5), (10, 0.1) })
        {
            LatencyResult result = await PacedLatency(cluster, checkpoints, TimeSpan.FromMilliseconds(delayMs), load * fullRate, options);
            latency.Add(result);
            await log.WriteLineAsync($"3. latency at MaxBatchDelay {delayMs} ms, {result.OfferedPerSecond:N0} events/s offered: " +
                $"p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, p99.9 {result.P999:F1} ms ({result.Samples} anomalies); " +
                $"median {result.Typical.ToWorker:F1} ms to the worker, {result.Typical.InWorker:F1} in it, {result.Typical.ToAcknowledged:F1} to the ack; " +
                $"slowest 1%: {result.Tail.ToWorker:F0} / {result.Tail.InWorker:F0} / {result.Tail.ToAcknowledged:F0}; {result.BusyCores:F2} busy cores; " +
                $"longest scoring gap {result.LongestScoringGapMs:F0} ms; {result.Gc}; group join {result.GroupJoin.TotalSeconds:F1} s");
        }

        return latency;
    }

    private static async Task<ThroughputResult> MaxThroughput(BenchCluster cluster, List<string> topics, string checkpoints, int events,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        ProcessMemory.ResetPeak();
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, topics, checkpoints, events, settings ?? new Dictionary<string, string?>());
        await run.StartAsync();
        // CPU is counted from the first scored event, as the rate is, so the group join and start-up stay out of it.
        await run.WaitForScored(1, TimeSpan.FromMinutes(1));
        (int scoredAtStart, TimeSpan cpuAtStart, long wallAtStart) = (run.ScoredCount, ProcessCpu.Used(), Stopwatch.GetTimestamp());
        Dictionary<string, TimeSpan> threadsAtStart = ThreadCpu.Snapshot();
        Dictionary<PipelineStage, TimeSpan> stagesAtStart = Enum.GetValues<PipelineStage>().ToDictionary(s => s, run.Metrics.Stages.Total);
        if (!await run.WaitForScored(events, TimeSpan.FromMinutes(3)))
        {
            throw new InvalidOperationException($"the worker scored {run.ScoredCount} of {events} events in 3 minutes");
        }

        int measured = events - scoredAtStart;
        CpuCost cpu = ProcessCpu.Cost(ProcessCpu.Used() - cpuAtStart, Stopwatch.GetElapsedTime(wallAtStart), measured);
        Dictionary<string, double> threads = ThreadCpu.PerEvent(threadsAtStart, ThreadCpu.Snapshot(), measured);
        // Batches straddle the span's ends, so a stage's total over the span is within a batch of its share.
        Dictionary<PipelineStage, double> stages = stagesAtStart.ToDictionary(s => s.Key,
            s => (run.Metrics.Stages.Total(s.Key) - s.Value).TotalMicroseconds / measured);
        double rate = run.Throughput(events);
        // Share of the run the scoring thread spent inside batches: near 1 means the scorer is the bottleneck.
        double busy = run.Metrics.BatchTime.TotalSeconds / (events / rate);
        return new ThroughputResult(rate, ProcessMemory.PeakResidentMb(), busy, cpu, stages, threads);
    }

    // The GC settings the issue asked to compare, each in a fresh worker process: they are read once at start-up.
    private static readonly (string Name, Dictionary<string, string> Variables)[] GcSettings =
    [
        ("workstation, concurrent (the default)", []),
        ("workstation, non-concurrent", new() { ["DOTNET_gcConcurrent"] = "0" }),
        ("server", new() { ["DOTNET_gcServer"] = "1" }),
        ("workstation, gen0 budget 64 MB", new() { ["DOTNET_GCgen0size"] = "0x4000000" }),
    ];

    private static async Task<List<GcTrial>> GcStudy(BenchCluster cluster, List<string> topics, string checkpoints, SuiteOptions options, TextWriter log)
    {
        var trials = new List<GcTrial>();
        foreach ((string name, Dictionary<string, string> variables) in GcSettings)
        {
            SeparateWorkerResult result = await SeparateWorkerRun.RunAsync(cluster.BootstrapServers, topics, checkpoints, options.Events, retrains: 0,
                new Dictionary<string, string?>(), variables);
            string set = variables.Count == 0 ? "none" : string.Join(" ", variables.Select(v => $"{v.Key}={v.Value}"));
            trials.Add(new GcTrial(name, set, result));
            await log.WriteLineAsync($"2d. GC {name} ({set}): {result.EventsPerSecond:N0} events/s, {result.CpuMicrosecondsPerEvent:F1} µs CPU per event, peak RSS {result.PeakRssMb:F0} MB");
        }

        return trials;
    }

    private static string Describe(CpuCost cpu) => $"{cpu.MicrosecondsPerEvent:F1} µs CPU per event over {cpu.Cores:F2} busy cores";

    private static string Describe<TKey>(IReadOnlyDictionary<TKey, double> microsecondsPerEvent) where TKey : notnull =>
        string.Join(", ", microsecondsPerEvent.Select(p => $"{p.Key.ToString()?.ToLowerInvariant()} {p.Value:F2} µs"));

    private static async Task<LatencyResult> PacedLatency(BenchCluster cluster, string checkpoints, TimeSpan maxBatchDelay, double rate, SuiteOptions options)
    {
        string topic = $"paced-{Interlocked.Increment(ref pacedRuns)}-{(int)maxBatchDelay.TotalMilliseconds}ms-{(int)rate}";
        cluster.CreateTopic(topic, BenchCluster.PartitionsPerTopic);
        int count = (int)(rate * options.LatencySeconds);
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, [topic], checkpoints, count, new Dictionary<string, string?>
        {
            ["Pipeline:MaxBatchDelay"] = WorkerBenchRun.Ms(maxBatchDelay),
        });
        await run.StartAsync();
        // The load starts once the worker owns every partition: events produced before the group join completes
        // would wait for it, and the join is not what this scenario measures.
        var joining = Stopwatch.StartNew();
        await run.WaitForAssignment(BenchCluster.PartitionsPerTopic, TimeSpan.FromSeconds(30));
        await Task.Delay(500); // the first fetch positions
        string warmup = $"{topic}-producer-warm-up";
        cluster.CreateTopic(warmup, 1);
        var feed = new PacedFeed(cluster.BootstrapServers, topic, warmup, new OpsEventGenerator(options.Hosts, 0.01, seed: 6), distinctEvents: 100_000);
        var clock = Stopwatch.StartNew();
        TimeSpan cpuAtStart = ProcessCpu.Used();
        GcActivity gcAtStart = GcActivity.Now();
        double offered = await feed.RunAsync(count, rate);
        CpuCost cpu = ProcessCpu.Cost(ProcessCpu.Used() - cpuAtStart, clock.Elapsed, count);
        await run.WaitForScored(count, TimeSpan.FromMinutes(1));
        await Task.Delay(500); // the last anomalies' acknowledgements
        GcActivity gc = GcActivity.Now() - gcAtStart;
        List<LatencyStages> stages = run.Latencies();
        List<double> latencies = stages.Select(l => l.Total).Order().ToList();
        return new LatencyResult(maxBatchDelay, offered, latencies.Count, Quantile(latencies, 0.5), Quantile(latencies, 0.99), Quantile(latencies, 0.999), latencies,
            Typical(stages), Tail(stages), cpu.Cores, run.LongestScoringGapMs(), gc, joining.Elapsed,
            Quantile(stages.Select(l => l.InWorker + l.ToAcknowledged).Order().ToList(), 0.99));
    }

    // The no-retrain figure comes from the same run, before the retrain starts, so both see the same warm process.
    private static async Task<(double During, double Before, TimeSpan Overlap, RetrainRecord? Retrain, double PeakRssMb)> DuringRetrain(
        BenchCluster cluster, List<string> topics, string checkpoints, SuiteOptions options)
    {
        ProcessMemory.ResetPeak();
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, topics, checkpoints, options.Events,
            BenchWorkerSettings.RetrainingEvery(options.RetrainWindow));
        await run.StartAsync();
        await run.WaitForScored(options.Events, TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();
        while (run.Metrics.RetrainHistory.Count == 0 && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(100);
        }

        RetrainRecord? first = run.Metrics.RetrainHistory.FirstOrDefault();
        if (first is null)
        {
            return (double.NaN, double.NaN, TimeSpan.Zero, null, ProcessMemory.PeakResidentMb());
        }

        (double rate, TimeSpan overlap) = run.ThroughputBetween(first.StartedAt, first.FinishedAt);
        (double before, _) = run.ThroughputBetween(run.FirstScoredAt, first.StartedAt);
        return (rate, before, overlap, first, ProcessMemory.PeakResidentMb());
    }

    /// <summary>Scenario 6 alone (see <see cref="RetrainPauses"/>), printed, without rewriting the report.</summary>
    public static async Task<RetrainPauseResult> RetrainPausesOnlyAsync(SuiteOptions options, TextWriter log)
    {
        using var work = new TempDirectory("vaestream-bench-");
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        PretrainedModel.Write(checkpoints, BenchInputs.OpsSchema(), rows: 20_000, options.Hosts);
        using var cluster = new BenchCluster();
        RetrainPauseResult pauses = await RetrainPauses(cluster, checkpoints, options);
        await log.WriteLineAsync(Describe(pauses));
        return pauses;
    }

    private static string Describe(RetrainPauseResult p) =>
        $"scoring pauses during retrains: {p.Retrains} retrains ({p.Accepted} accepted, {p.RetrainSecondsMean:F1} s each on average) on a {p.Window:N0}-event window " +
        $"under {p.OfferedPerSecond:N0} events/s for {p.Events:N0} events at MaxBatchDelay {p.MaxBatchDelay.TotalMilliseconds} ms: longest gap {p.LongestGapDuringRetrainsMs:F0} ms " +
        $"during retrains, {p.LongestGapOutsideRetrainsMs:F0} ms outside them; target ≤ {p.TargetMs} ms ({(p.Met ? "met" : "missed")})";

    // The worker under one continuous paced load, retraining every window's worth of scored events on that window, so
    // retrains follow each other for the whole run. Scoring runs on the pipeline thread and training on a thread of
    // its own at nice 19: the gap between scored events that overlaps a retrain says how much the retrain held scoring up.
    private static async Task<RetrainPauseResult> RetrainPauses(BenchCluster cluster, string checkpoints, SuiteOptions options)
    {
        const int window = 10_000;
        const double rate = 8_000;
        TimeSpan maxBatchDelay = TimeSpan.FromMilliseconds(10);
        int count = (int)(rate * options.RetrainPauseSeconds);
        string topic = $"retrain-pauses-{Interlocked.Increment(ref pacedRuns)}";
        cluster.CreateTopic(topic, BenchCluster.PartitionsPerTopic);
        Dictionary<string, string?> settings = BenchWorkerSettings.RetrainingEvery(window);
        settings["Pipeline:MaxBatchDelay"] = WorkerBenchRun.Ms(maxBatchDelay);
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, [topic], checkpoints, count, settings);
        await run.StartAsync();
        await run.WaitForAssignment(BenchCluster.PartitionsPerTopic, TimeSpan.FromSeconds(30));
        string warmup = $"{topic}-producer-warm-up";
        cluster.CreateTopic(warmup, 1);
        var feed = new PacedFeed(cluster.BootstrapServers, topic, warmup, new OpsEventGenerator(options.Hosts, 0.01, seed: 7), distinctEvents: 100_000);
        double offered = await feed.RunAsync(count, rate);
        await run.WaitForScored(count, TimeSpan.FromMinutes(1));
        RetrainRecord[] retrains = [.. run.Metrics.RetrainHistory];
        bool OverlapsRetrain(long previous, long next) => retrains.Any(r => previous < r.FinishedAt && next > r.StartedAt);
        return new RetrainPauseResult(offered, count, window, maxBatchDelay, retrains.Length, retrains.Count(r => r.Accepted),
            run.LongestScoringGapMs(OverlapsRetrain), run.LongestScoringGapMs((p, n) => !OverlapsRetrain(p, n)), retrains.Length == 0 ? double.NaN : retrains.Average(r => r.Seconds));
    }

    // A schema with a 10-row window per host, 10,000 hosts, 200,000 events: the worker keeps 9 rows per host.
    private static async Task<EntityMemoryResult> TrackedEntities(BenchCluster cluster, string work)
    {
        const int hosts = 10_000, events = 200_000, window = 10;
        string schemaPath = Path.Combine(work, "ops-event-w10.json");
        string json = File.ReadAllText(VaeStreamHostingExtensions.ResolvePath("config/schemas/ops-event.json"));
        File.WriteAllText(schemaPath, System.Text.RegularExpressions.Regex.Replace(json, "\"window\":\\s*1", $"\"window\": {window}"));
        FeatureSchema schema = FeatureSchema.Load(schemaPath);
        string checkpoints = Path.Combine(work, "checkpoints-w10");
        PretrainedModel.Write(checkpoints, schema, rows: 50_000, hosts: 100); // windows need history: fewer hosts, longer
        List<string> topics = cluster.PreProduce("entities", events, new OpsEventGenerator(hosts, 0.01, seed: 8));
        GC.Collect();
        double before = ProcessMemory.ResidentMb();
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, topics, checkpoints, events, new Dictionary<string, string?>
        {
            ["Features:SchemaPath"] = schemaPath,
        });
        await run.StartAsync();
        await run.WaitForScored(events, TimeSpan.FromMinutes(2));
        GC.Collect();
        double steady = ProcessMemory.ResidentMb();
        Prometheus.CollectorRegistry registry = run.Metrics.Registry;
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        Dictionary<string, double> samples = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n')
            .Where(l => l.StartsWith("vaestream_entit", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        return new EntityMemoryResult(window, hosts, samples.GetValueOrDefault("vaestream_entities_tracked"),
            samples.GetValueOrDefault("vaestream_entity_evictions_total"), before, steady);
    }

    private static LatencyStages Typical(List<LatencyStages> stages)
    {
        double Median(Func<LatencyStages, double> stage) => Quantile(stages.Select(stage).Order().ToList(), 0.5);
        return new LatencyStages(Median(l => l.Total), Median(l => l.ToWorker), Median(l => l.InWorker), Median(l => l.ToAcknowledged));
    }

    private static LatencyStages Tail(List<LatencyStages> stages)
    {
        List<LatencyStages> slowest = stages.OrderByDescending(l => l.Total).Take(Math.Max(1, stages.Count / 100)).ToList();
        return slowest.Count == 0
            ? new LatencyStages(double.NaN, double.NaN, double.NaN, double.NaN)
            : new LatencyStages(slowest.Average(l => l.Total), slowest.Average(l => l.ToWorker), slowest.Average(l => l.InWorker), slowest.Average(l => l.ToAcknowledged));
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
