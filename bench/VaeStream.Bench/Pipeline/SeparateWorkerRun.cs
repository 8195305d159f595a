using System.Diagnostics;
using System.Globalization;
using VaeStream.Testing;

namespace VaeStream.Bench.Pipeline;

/// <summary>What the worker process used, on its own: peak resident memory and CPU per event.</summary>
internal readonly record struct SeparateWorkerResult(double PeakRssMb, double EventsPerSecond, double CpuMicrosecondsPerEvent, int Retrains);

/// <summary>
/// The worker as its own process: <c>vaestream-worker run</c>, the binary built beside the bench, against the bench's mock
/// cluster over TCP. Its memory and CPU then exclude the broker and the bench that share this process. Progress is
/// read from its /metrics endpoint, memory and CPU from /proc.
/// </summary>
internal static class SeparateWorkerRun
{
    public static async Task<SeparateWorkerResult> RunAsync(string bootstrapServers, IReadOnlyList<string> topics, string checkpoints,
        int events, int retrains, IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string>? runtime = null)
    {
        int port = MetricsScrape.FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "vaestream-worker.dll"), "run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var endpoint = new Dictionary<string, string?>
        {
            ["Operations:Address"] = "127.0.0.1",
            ["Operations:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Dictionary<string, string?> environment = BenchWorkerSettings.Create(bootstrapServers, topics, checkpoints, endpoint.Concat(settings));
        foreach ((string key, string? value) in environment)
        {
            start.Environment["VAESTREAM__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // The .NET runtime's own settings (DOTNET_gcServer and the like), read once at process start.
        foreach ((string key, string value) in runtime ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new Queue<string>();
        using Process worker = Process.Start(start) ?? throw new InvalidOperationException("could not start vaestream-worker run");
        void Keep(string? line)
        {
            lock (output)
            {
                if (line is not null && output.Count < 200)
                {
                    output.Enqueue(line);
                }
            }
        }

        worker.OutputDataReceived += (_, e) => Keep(e.Data);
        worker.ErrorDataReceived += (_, e) => Keep(e.Data);
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        using var scrape = new MetricsScrape(port);
        try
        {
            var deadline = Stopwatch.StartNew();
            (double Scored, double Retrains) progress = (0, 0);
            long firstScoredAt = 0, allScoredAt = 0;
            double scoredAtFirst = 0;
            TimeSpan cpuAtFirst = TimeSpan.Zero;
            while (progress.Scored < events || progress.Retrains < retrains)
            {
                if (worker.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(4))
                {
                    throw new InvalidOperationException($"vaestream-worker run {(worker.HasExited ? $"exited with {worker.ExitCode}" : "timed out")} " +
                        $"after scoring {progress.Scored:N0} of {events:N0} events; its output:\n{string.Join('\n', output)}");
                }

                await Task.Delay(100);
                progress = await ProgressAsync(scrape);
                if (firstScoredAt == 0 && progress.Scored > 0)
                {
                    (firstScoredAt, scoredAtFirst, cpuAtFirst) = (Stopwatch.GetTimestamp(), progress.Scored, CpuOf(worker));
                }

                if (allScoredAt == 0 && progress.Scored >= events)
                {
                    allScoredAt = Stopwatch.GetTimestamp();
                }
            }

            double scoredInSpan = events - scoredAtFirst;
            // From scrapes 100 ms apart: within a few percent over a backlog of several seconds.
            double rate = scoredInSpan / Stopwatch.GetElapsedTime(firstScoredAt, allScoredAt).TotalSeconds;
            double cpuPerEvent = (CpuOf(worker) - cpuAtFirst).TotalMicroseconds / scoredInSpan;
            return new SeparateWorkerResult(ProcessMemory.PeakResidentMb(worker.Id), rate, cpuPerEvent, (int)progress.Retrains);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }

            await worker.WaitForExitAsync();
        }
    }

    private static async Task<(double Scored, double Retrains)> ProgressAsync(MetricsScrape scrape)
    {
        try
        {
            Dictionary<string, double> samples = await scrape.SamplesAsync();
            return (samples.Where(s => s.Key.StartsWith("vaestream_events_scored_total", StringComparison.Ordinal)).Sum(s => s.Value),
                samples.GetValueOrDefault("vaestream_retrains_total"));
        }
        catch (HttpRequestException)
        {
            return (0, 0); // not listening yet
        }
    }

    private static TimeSpan CpuOf(Process worker)
    {
        worker.Refresh();
        return worker.TotalProcessorTime;
    }
}
