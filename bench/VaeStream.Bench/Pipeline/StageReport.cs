using System.Globalization;
using System.Text;
using VaeStream.Worker.Operations;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The sections of docs/benchmarks.md that say where an event's cost goes: per pipeline stage and per thread, with
/// one and two pipeline threads, and under each GC setting tried.
/// </summary>
internal static class StageReport
{
    /// <summary>The whole worker's CPU budget per event (issue 16); the raw path alone takes 2.4–3.1 µs.</summary>
    public const double CpuTargetMicroseconds = 4.5;

    public static void Write(StringBuilder md, SuiteResult r)
    {
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        ThroughputResult two = r.Pipelined, one = r.Serial;

        Line($"## One and two pipeline threads");
        md.AppendLine();
        md.AppendLine("Scenario 2 again, the same backlog and model, with JSON extraction on the scoring thread (`Pipeline:ExtractAhead = false`, one pipeline thread) and one batch ahead on a thread of its own (the default, two).");
        md.AppendLine();
        md.AppendLine("| pipeline threads | events/s | worker/raw | CPU per event (µs, all threads) | busy cores | scoring thread in prepare, score and publish |");
        md.AppendLine("|---|---|---|---|---|---|");
        Line($"| 1 (`ExtractAhead = false`) | {one.EventsPerSecond:N0} | {one.EventsPerSecond / r.RawEventsPerSecond:P0} | {one.Cpu.MicrosecondsPerEvent:F1} | {one.Cpu.Cores:F2} | {one.BusyFraction:P0} |");
        Line($"| 2 (the default) | {two.EventsPerSecond:N0} | {two.EventsPerSecond / r.RawEventsPerSecond:P0} | {two.Cpu.MicrosecondsPerEvent:F1} | {two.Cpu.Cores:F2} | {two.BusyFraction:P0} |");
        md.AppendLine();
        Line($"Whole-worker CPU per event: {two.Cpu.MicrosecondsPerEvent:F1} µs against a target of ≤ {CpuTargetMicroseconds} µs {(two.Cpu.MicrosecondsPerEvent <= CpuTargetMicroseconds ? "(met)" : $"(**missed** by {two.Cpu.MicrosecondsPerEvent - CpuTargetMicroseconds:F1} µs)")}; the raw path alone took {r.RawCpu.MicrosecondsPerEvent:F1} µs in this run.");
        md.AppendLine();
        md.AppendLine("Beyond two cores: the extraction thread hands whole batches to the scoring thread, and `Pipeline:ExtractionThreads` spreads one batch's JSON over more threads, so extraction can grow with cores; the scoring thread (scaling, the forward pass, decisions, messages) stays one per worker. A worker therefore scales until its scoring thread is busy all the time, and past that by more replicas in the consumer group, each with its own partitions.");
        md.AppendLine();

        Line($"## Where an event's time goes");
        md.AppendLine();
        md.AppendLine("Per event, over scenario 2's measured span. *By stage* is the time the worker's own timers (`vaestream_pipeline_stage_seconds_total`) counted in each stage, on the thread that runs it: extraction on the extraction thread with two pipeline threads, everything else on the scoring thread. *By thread* is each thread group's CPU time from `/proc/self/task`: consuming is the consume thread plus librdkafka's threads, which also carry the producer and, here, the in-process mock broker. Completing an event is part of *publish* for a normal event (its offset is released at once) and happens on librdkafka's delivery thread for an anomaly.");
        md.AppendLine();
        md.AppendLine("| stage | µs per event, 2 threads | µs per event, 1 thread |");
        md.AppendLine("|---|---|---|");
        foreach (PipelineStage stage in Enum.GetValues<PipelineStage>())
        {
            Line($"| {stage.ToString().ToLowerInvariant()} | {two.StageMicroseconds[stage]:F2} | {one.StageMicroseconds[stage]:F2} |");
        }

        md.AppendLine();
        md.AppendLine("| thread group | CPU µs per event, 2 threads | CPU µs per event, 1 thread |");
        md.AppendLine("|---|---|---|");
        foreach (string group in ThreadCpu.Groups)
        {
            Line($"| {group} | {two.ThreadMicroseconds[group]:F2} | {one.ThreadMicroseconds[group]:F2} |");
        }

        md.AppendLine();
        md.AppendLine("The thread CPU times come in 10 ms ticks, a fraction of a percent of a span of seconds. The workstation GC collects on the thread that allocates, so most collection time is inside the thread that triggered it; *GC threads* is the background GC's thread.");
        md.AppendLine();

        Line($"## GC settings tried");
        md.AppendLine();
        md.AppendLine("The worker as its own process (`vaestream-worker run`, as in the Memory section) over the same backlog, once per setting; each is a cold process's single pass, JIT included, so the rates are below scenario 2's and compare with each other, not with it.");
        md.AppendLine();
        md.AppendLine("| GC | environment | events/s | CPU per event (µs) | peak RSS (MB) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (GcTrial trial in r.GcTrials)
        {
            Line($"| {trial.Name} | `{trial.Variables}` | {trial.Result.EventsPerSecond:N0} | {trial.Result.CpuMicrosecondsPerEvent:F1} | {trial.Result.PeakRssMb:F0} |");
        }

        md.AppendLine();
        GcTrial fastest = r.GcTrials.MaxBy(t => t.Result.EventsPerSecond)!;
        GcTrial baseline = r.GcTrials[0];
        Line($"Fastest in this run: {fastest.Name}, {fastest.Result.EventsPerSecond / baseline.Result.EventsPerSecond - 1:+0%;-0%;0%} against the default. One pass per setting is one sample: `dotnet run --project bench/VaeStream.Bench -c Release -- gc 3` repeats the study, and the README's Benchmarks section gives the setting kept and the rounds it was chosen on.");
        md.AppendLine();
    }
}
