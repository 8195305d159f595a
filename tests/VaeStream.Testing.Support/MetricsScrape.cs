using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VaeStream.Testing;

/// <summary>An HTTP client for the worker's operations endpoint, and a parser for the Prometheus text it serves.</summary>
public sealed partial class MetricsScrape : IDisposable
{
    private readonly HttpClient http;

    public MetricsScrape(int port) => http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Every sample of one scrape, keyed by name plus labels as written, e.g. <c>x_total{topic="in"}</c>.</summary>
    public async Task<Dictionary<string, double>> SamplesAsync()
    {
        string text = await http.GetStringAsync("metrics");
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in SampleLine().Matches(text))
        {
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The status of <paramref name="path"/>, or null while nothing answers.</summary>
    public async Task<HttpStatusCode?> StatusAsync(string path)
    {
        try
        {
            return (await GetAsync(path)).Status;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex(@"^(?<series>[a-z_:][a-z0-9_:]*(\{[^}]*\})?) (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
