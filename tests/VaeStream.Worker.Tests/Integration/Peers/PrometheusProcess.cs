using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace VaeStream.Worker.Tests.Integration.Peers;

/// <summary>
/// Debian's real Prometheus (package <c>prometheus</c>, installed by .ci/run), on 127.0.0.1 with a temporary
/// configuration and storage, scraping one target every second; stopped by its PID on dispose.
/// </summary>
internal sealed class PrometheusProcess : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";
    public const string Job = "vaestream";
    private readonly Process process;
    private readonly TempDirectory directory = new("vaestream-prometheus-");
    private readonly HttpClient http;

    private PrometheusProcess(int port, string target)
    {
        string config = Path.Combine(directory.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: {Job}
                static_configs:
                  - targets: ["{target}"]
            """);
        process = Process.Start(new ProcessStartInfo(Binary,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Why Prometheus cannot be used here, or null.</summary>
    public static string? UnavailableReason => File.Exists(Binary) && File.Exists(Promtool)
        ? null
        : $"{Binary} or {Promtool} is not installed (Debian package prometheus; .ci/run installs it, and the install failed or was not run)";

    /// <summary>Starts it scraping <paramref name="target"/> (host:port) and waits until <c>/-/ready</c> answers.</summary>
    public static async Task<PrometheusProcess> StartAsync(string target)
    {
        var prometheus = new PrometheusProcess(MetricsScrape.FreePort(), target);
        async Task<bool> ReadyOrExited()
        {
            if (prometheus.process.HasExited)
            {
                return true;
            }

            try
            {
                return (await prometheus.http.GetAsync("-/ready")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }

        if (await Wait.UntilAsync(ReadyOrExited, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)) && !prometheus.process.HasExited)
        {
            return prometheus;
        }

        bool exited = prometheus.process.HasExited;
        prometheus.Dispose();
        throw new InvalidOperationException(exited ? "Prometheus exited at start." : "Prometheus did not become ready within 60 s.");
    }

    /// <summary>The value of an instant PromQL query that returns one sample, or null when it returns none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        JsonElement answer = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString(promql));
        JsonElement result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The health of the job's target as Prometheus's target API reports it ("up", "down", "unknown"), and its last error.</summary>
    public async Task<(string Health, string LastError)> TargetAsync()
    {
        JsonElement answer = await http.GetFromJsonAsync<JsonElement>("api/v1/targets?state=active");
        JsonElement target = answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Single(t => t.GetProperty("labels").GetProperty("job").GetString() == Job);
        return (target.GetProperty("health").GetString()!, target.GetProperty("lastError").GetString()!);
    }

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        using Process promtool = Process.Start(new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        Task<string> stdout = promtool.StandardOutput.ReadToEndAsync();
        Task<string> stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, (await stdout) + (await stderr));
    }

    public void Dispose()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process.Dispose();
        directory.Dispose();
    }
}
