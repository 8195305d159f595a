using System.Text;

namespace VaeStream.Worker.Tests.Integration.Aggregation;

/// <summary>
/// HTTP request events, one per request, for the shipped <c>http-requests.json</c> schema: services answer about 20
/// requests per 10 s interval, with a few errors and log-normal latencies; in <see cref="FaultyIntervals"/>, one
/// service fails half its requests and answers ten times slower. Events come in event-time order per service (the key),
/// so a service's events share a partition and stay in order.
/// </summary>
internal sealed class HttpRequestStream
{
    public const string FaultyService = "checkout";
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public HttpRequestStream(int services, int intervals, int seed)
    {
        var random = new Random(seed);
        string[] names = [FaultyService, .. Enumerable.Range(1, services - 1).Select(i => $"svc-{i:D2}")];
        for (int k = 0; k < intervals; k++)
        {
            bool faulty = FaultyIntervals.Contains(k);
            foreach (string service in names)
            {
                int requests = 15 + random.Next(11);
                for (int r = 0; r < requests; r++)
                {
                    bool failing = faulty && service == FaultyService;
                    long ts = (Start + Interval * k + TimeSpan.FromMilliseconds(random.Next(10_000))).ToUnixTimeMilliseconds();
                    int status = random.NextDouble() < (failing ? 0.5 : 0.01) ? 500 : 200;
                    double latency = Math.Exp(3 + 0.3 * Gaussian(random)) * (failing ? 10 : 1);
                    string json = $$"""{"service":"{{service}}","ts":{{ts}},"status":{{status}},"latency_ms":{{latency:F2}},"user":"u{{random.Next(50)}}","path":"/api"}""";
                    Events.Add((service, ts, Encoding.UTF8.GetBytes(json)));
                }
            }
        }

        // In each service's event-time order: within one interval the requests above were drawn out of order.
        Events = [.. Events.OrderBy(e => e.Ts)];
        Rows = intervals * services;
    }

    /// <summary>The intervals in which <see cref="FaultyService"/> fails.</summary>
    public static IReadOnlySet<int> FaultyIntervals { get; } = new HashSet<int> { 90, 91, 92 };

    public List<(string Key, long Ts, byte[] Value)> Events { get; private set; } = [];

    /// <summary>Entity intervals with at least one event: every service has requests in every interval.</summary>
    public int Rows { get; }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
