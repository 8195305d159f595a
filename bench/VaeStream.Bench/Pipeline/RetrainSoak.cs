using System.Diagnostics;
using System.Globalization;
using VaeStream.Testing;
using VaeStream.Simulation;

namespace VaeStream.Bench.Pipeline;

/// <summary>Resident memory of the worker process after every tenth finished retrain.</summary>
internal sealed record RetrainSoakResult(int Retrains, IReadOnlyList<(int Retrains, double RssMb)> Samples, double PeakRssMb, TimeSpan Elapsed, string Arenas);

/// <summary>
/// The soak scenario: <c>vaestream run</c> as its own process (the real launcher, so its own malloc-arena cap is what
/// is measured), under a steady paced load, retraining every 20,000 scored events on a 20,000-event window, until 50
/// retrains have finished. Memory that each retrain leaves behind shows as RSS growing from sample to sample.
/// </summary>
internal static class RetrainSoak
{
    private const int Window = 20_000;
    private const double Rate = 8_000;

    /// <summary>Runs the soak; <paramref name="arenaMax"/>, when given, is set as MALLOC_ARENA_MAX for the worker instead.</summary>
    public static async Task<RetrainSoakResult> RunAsync(int retrains, int? arenaMax, TextWriter log)
    {
        using var work = new TempDirectory("vaestream-soak-");
        string checkpoints = Path.Combine(work.Path, "checkpoints");
        PretrainedModel.Write(checkpoints, BenchInputs.OpsSchema(), rows: Window, hosts: 200);
        using var cluster = new BenchCluster();
        cluster.CreateTopic("soak", BenchCluster.PartitionsPerTopic);
        cluster.CreateTopic("soak-warmup", 1);
        int port = MetricsScrape.FreePort();
        var settings = BenchWorkerSettings.Create(cluster.BootstrapServers, ["soak"], checkpoints, BenchWorkerSettings.RetrainingEvery(Window));
        settings["Operations:Address"] = "127.0.0.1";
        settings["Operations:Port"] = port.ToString(CultureInfo.InvariantCulture);
        settings["Logging:LogLevel:Default"] = "Warning";
        using Process worker = Start(settings, arenaMax);
        using var stop = new CancellationTokenSource();
        var feed = new PacedFeed(cluster.BootstrapServers, "soak", "soak-warmup", new OpsEventGenerator(200, 0.01, seed: 9), distinctEvents: 100_000);
        Task feeding = Task.Run(() => FeedUntil(feed, stop.Token));
        try
        {
            return await Sample(worker, port, retrains, arenaMax, log);
        }
        finally
        {
            stop.Cancel();
            await feeding;
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }

            await worker.WaitForExitAsync();
        }
    }

    private static async Task<RetrainSoakResult> Sample(Process worker, int port, int retrains, int? arenaMax, TextWriter log)
    {
        using var scrape = new MetricsScrape(port);
        var clock = Stopwatch.StartNew();
        var samples = new List<(int, double)>();
        int finished = 0;
        while (finished < retrains)
        {
            if (worker.HasExited || clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new InvalidOperationException($"vaestream run {(worker.HasExited ? $"exited with {worker.ExitCode}" : "timed out")} after {finished} retrains");
            }

            await Task.Delay(1000);
            finished = await FinishedRetrainsAsync(scrape);
            // A first sample before any retrain, then one at every tenth.
            int due = samples.Count * 10;
            if ((samples.Count == 0 && clock.Elapsed > TimeSpan.FromSeconds(5)) || (samples.Count > 0 && finished >= due))
            {
                double rss = ProcessMemory.ResidentMb(worker.Id);
                samples.Add((finished, rss));
                await log.WriteLineAsync($"soak: {finished} retrains finished after {clock.Elapsed.TotalSeconds:F0} s, RSS {rss:F0} MB");
            }
        }

        return new RetrainSoakResult(finished, samples, ProcessMemory.PeakResidentMb(worker.Id), clock.Elapsed,
            arenaMax is { } n ? $"MALLOC_ARENA_MAX={n}" : "the worker's own cap (2 arenas)");
    }

    private static Process Start(Dictionary<string, string?> settings, int? arenaMax)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "vaestream-worker.dll"), "run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach ((string key, string? value) in settings)
        {
            start.Environment["VAESTREAM__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment.Remove("MALLOC_ARENA_MAX");
        if (arenaMax is { } n)
        {
            start.Environment["MALLOC_ARENA_MAX"] = n.ToString(CultureInfo.InvariantCulture);
        }

        Process worker = Process.Start(start) ?? throw new InvalidOperationException("could not start vaestream-worker run");
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        return worker;
    }

    // Round after round of paced load until the soak ends; each round is one PacedFeed run of a second's events.
    private static async Task FeedUntil(PacedFeed feed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await feed.RunAsync(count: (int)Rate * 10, rate: Rate);
        }
    }

    private static async Task<int> FinishedRetrainsAsync(MetricsScrape scrape)
    {
        try
        {
            Dictionary<string, double> samples = await scrape.SamplesAsync();
            return (int)(samples.GetValueOrDefault("vaestream_retrains_total") + samples.GetValueOrDefault("vaestream_retrains_rejected_total"));
        }
        catch (HttpRequestException)
        {
            return 0; // not listening yet
        }
    }
}
