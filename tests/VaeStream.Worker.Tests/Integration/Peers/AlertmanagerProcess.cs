using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace VaeStream.Worker.Tests.Integration.Peers;

/// <summary>
/// Debian's real Alertmanager (<c>prometheus-alertmanager</c>, installed by .ci/run), on 127.0.0.1 with a temporary
/// configuration and storage, clustering off; stopped by its PID on dispose.
/// </summary>
internal sealed class AlertmanagerProcess : IDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";
    private readonly Process process;
    private readonly TempDirectory directory = new("vaestream-alertmanager-");
    private readonly HttpClient http;

    private AlertmanagerProcess(int port, string? configFile)
    {
        Url = $"http://127.0.0.1:{port}";
        string config = configFile ?? Path.Combine(directory.Path, "alertmanager.yml");
        if (configFile is null)
        {
            File.WriteAllText(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        }

        process = Process.Start(new ProcessStartInfo(Binary,
            [$"--config.file={config}", $"--storage.path={Path.Combine(directory.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Why the binary cannot be used here, or null.</summary>
    public static string? UnavailableReason => File.Exists(Binary)
        ? null
        : $"{Binary} is not installed (Debian package prometheus-alertmanager; .ci/run installs it, and the install failed or was not run)";

    public string Url { get; }

    /// <summary>Starts it, with <paramref name="configFile"/> or a receiver that drops everything, and waits until <c>/-/ready</c> answers.</summary>
    public static async Task<AlertmanagerProcess> StartAsync(string? configFile = null)
    {
        var alertmanager = new AlertmanagerProcess(MetricsScrape.FreePort(), configFile);
        async Task<bool> Ready()
        {
            try
            {
                return (await alertmanager.http.GetAsync("-/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        if (await Wait.UntilAsync(Ready, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)))
        {
            return alertmanager;
        }

        bool exited = alertmanager.process.HasExited;
        alertmanager.Dispose();
        throw new InvalidOperationException(exited ? "Alertmanager exited at start (a configuration it refused?)." : "Alertmanager did not become ready within 30 s.");
    }

    /// <summary>The alerts Alertmanager's API lists (active ones: a resolved alert leaves the list).</summary>
    public async Task<List<JsonElement>> AlertsAsync() =>
        [.. (await http.GetFromJsonAsync<JsonElement>("api/v2/alerts")).EnumerateArray()];

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
