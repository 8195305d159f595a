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

    /// <summary>
    /// A TCP port nothing listens on right now, below the kernel's ephemeral range. A port the kernel chose (a bind to
    /// port 0) and took back is handed out again to the next socket that asks for any port, and the Kafka clients and
    /// mock brokers of the tests running beside this one ask all the time: in CI, a worker's endpoint once found such
    /// a port taken by the time it bound it.
    /// </summary>
    public static int FreePort()
    {
        int ephemeralStart = EphemeralRangeStart();
        for (int attempt = 0; attempt < 100 && ephemeralStart > 11_024; attempt++)
        {
            int port = Random.Shared.Next(Math.Max(1_024, ephemeralStart - 20_000), ephemeralStart);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another try.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    // The first port of Linux's ephemeral range; 32768, its usual default, where the file cannot be read.
    private static int EphemeralRangeStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(RangeFile) && int.TryParse(File.ReadAllText(RangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            NumberStyles.Integer, CultureInfo.InvariantCulture, out int start) ? start : 32_768;
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
