using System.Globalization;
using System.Text;

namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>
/// A second held-out stream, written apart from <see cref="HeldOutOpsStream"/> and the demo's generator: a fleet whose
/// hosts share one daily load cycle (1,440 one-minute steps), so the whole fleet is quiet at the same hours and its
/// counts are small then. Eight metrics of another shape: CPU, disk utilisation (an AR(1) of each host's own),
/// p95 latency, GC pause, and four counts (requests, connections, queue depth, errors), each host with a capacity of
/// its own. Segments of seven kinds start anywhere from step 0, so some fall in the worker's warm-up.
/// </summary>
internal sealed class SharedCycleFleetStream : IHeldOutStream
{
    /// <summary>The schema a user would write for it: <c>Log1p</c> on the counts and the latency (README, "Features").</summary>
    public const string Schema = """
        {
          "entityKeyPath": "node", "timestampPath": "ts", "window": 1,
          "features": [
            { "name": "cpu", "path": "metrics.cpu_pct" }, { "name": "disk", "path": "metrics.disk_util" },
            { "name": "p95", "path": "metrics.p95_ms", "transform": "Log1p" },
            { "name": "gc", "path": "metrics.gc_pause_ms", "transform": "Log1p" },
            { "name": "rps", "path": "metrics.rps", "transform": "Log1p" },
            { "name": "conn", "path": "metrics.connections", "transform": "Log1p" },
            { "name": "queue", "path": "metrics.queue_depth", "transform": "Log1p" },
            { "name": "errors", "path": "metrics.errors", "transform": "Log1p" }
          ]
        }
        """;

    /// <summary>One-minute steps in the fleet's daily cycle.</summary>
    public const int StepsPerDay = 1_440;
    private const long FirstTimestampMs = 1_790_000_000_000L;
    private const long StepMs = 60_000L;

    private static readonly HeldOutKind[] Injected =
    [
        HeldOutKind.Frozen, HeldOutKind.LatencyDegradation, HeldOutKind.Spike, HeldOutKind.CorrelationBreak, HeldOutKind.ErrorBurst,
        HeldOutKind.SlowRamp, HeldOutKind.QueueBacklog,
    ];

    private readonly int hosts;
    private readonly int steps;
    private readonly Random random;
    private readonly double[] capacity;
    private readonly double[] disk;
    private readonly Dictionary<(int Host, int Step), (HeldOutKind Kind, int Segment, int Offset, int Length)> schedule = [];

    public SharedCycleFleetStream(int hosts, int steps, int segmentsPerKind, int seed)
    {
        this.hosts = hosts;
        this.steps = steps;
        random = new Random(seed);
        capacity = [.. Enumerable.Range(0, hosts).Select(_ => 0.6 + 0.8 * random.NextDouble())];
        disk = [.. Enumerable.Repeat(30.0, hosts)];
        int segment = 0;
        foreach (HeldOutKind kind in Injected)
        {
            for (int n = 0; n < segmentsPerKind; n++)
            {
                Schedule(kind, segment++);
            }
        }
    }

    /// <inheritdoc />
    public Dictionary<int, HeldOutKind> SegmentKinds { get; } = [];

    /// <inheritdoc />
    public string EventKey(string entity, DateTimeOffset eventTime) =>
        HeldOutEvent.KeyOf(entity, (eventTime.ToUnixTimeMilliseconds() - FirstTimestampMs) / StepMs);

    /// <inheritdoc />
    public IEnumerable<HeldOutEvent> Generate()
    {
        var stuck = new Dictionary<int, string>();
        for (int step = 0; step < steps; step++)
        {
            double t = 2 * Math.PI * (step % StepsPerDay) / StepsPerDay;
            double fleetLoad = 0.45 + 0.25 * Math.Sin(t - 1.5) + 0.12 * Math.Sin(2 * t + 1);
            for (int host = 0; host < hosts; host++)
            {
                yield return Next(host, step, fleetLoad, stuck);
            }
        }
    }

    // Segments last 3-15 steps of one host (spikes 1-2, slow ramps 60); no two overlap on a host.
    private void Schedule(HeldOutKind kind, int segment)
    {
        int length = kind switch { HeldOutKind.Spike => random.Next(1, 3), HeldOutKind.SlowRamp => 60, _ => random.Next(3, 16) };
        while (true)
        {
            int host = random.Next(hosts), start = random.Next(0, steps - length);
            if (Enumerable.Range(start - 5, length + 10).All(s => !schedule.ContainsKey((host, s))))
            {
                for (int i = 0; i < length; i++)
                {
                    schedule[(host, start + i)] = (kind, segment, i, length);
                }

                SegmentKinds[segment] = kind;
                return;
            }
        }
    }

    private HeldOutEvent Next(int host, int step, double fleetLoad, Dictionary<int, string> stuck)
    {
        double load = Math.Max(0.05, fleetLoad * (1 + Noise(0.04)));
        double rps = 500 * capacity[host] * load * Math.Exp(Noise(0.05));
        double cpu = 8 + 70 * load + Noise(3);
        double connections = Math.Round(rps * 0.2 + Noise(3));
        double queue = Poisson(0.5 + 2 * load * load);
        double gc = 12 * Math.Exp(Noise(0.3));
        double p95 = 40 + 80 * load * load + Noise(4);
        disk[host] = 30 + 0.98 * (disk[host] - 30) + Noise(0.6);
        double diskUtil = disk[host];
        double errors = Poisson(0.5 + rps * 0.0005);
        HeldOutKind kind = HeldOutKind.None;
        int segment = -1;
        if (schedule.TryGetValue((host, step), out var injected))
        {
            (kind, segment) = (injected.Kind, injected.Segment);
            switch (kind)
            {
                case HeldOutKind.LatencyDegradation: p95 *= 2 + random.NextDouble(); break;
                case HeldOutKind.Spike: (cpu, p95) = (cpu + 40, p95 * 4); break;
                // The traffic falls away while the CPU stays busy.
                case HeldOutKind.CorrelationBreak: (rps, connections) = (rps * 0.1, Math.Round(connections * 0.1)); break;
                case HeldOutKind.ErrorBurst: errors += 20 + random.Next(40); break;
                case HeldOutKind.QueueBacklog: (queue, p95) = (queue + 50 + random.Next(30), p95 * 1.5); break;
                case HeldOutKind.SlowRamp: diskUtil += 40.0 * (injected.Offset + 1) / injected.Length; break;
            }
        }

        string json;
        if (kind == HeldOutKind.Frozen)
        {
            // The agent keeps sending its last gauges, with the counts at zero, under a fresh timestamp.
            if (!stuck.TryGetValue(host, out string? gauges))
            {
                stuck[host] = gauges = Event(host, step, cpu, diskUtil, p95, gc, 0, 0, 0, 0);
            }

            json = WithStep(gauges, step);
        }
        else
        {
            stuck.Remove(host);
            json = Event(host, step, cpu, diskUtil, p95, gc, rps, connections, queue, errors);
        }

        return new HeldOutEvent(HeldOutEvent.KeyOf($"host-{host}", step), Encoding.UTF8.GetBytes(json), kind, segment);
    }

    private static string Event(int host, int step, double cpu, double disk, double p95, double gc, double rps, double connections, double queue,
        double errors) =>
        string.Create(CultureInfo.InvariantCulture,
            $$$"""{"node":"host-{{{host}}}","ts":{{{FirstTimestampMs + step * StepMs}}},"metrics":{"cpu_pct":{{{Math.Clamp(cpu, 0, 100):F1}}},"disk_util":{{{disk:F1}}},"p95_ms":{{{p95:F1}}},"gc_pause_ms":{{{gc:F2}}},"rps":{{{rps:F1}}},"connections":{{{connections:F0}}},"queue_depth":{{{queue:F0}}},"errors":{{{errors:F0}}}}}""");

    private static string WithStep(string json, int step)
    {
        int from = json.IndexOf("\"ts\":", StringComparison.Ordinal) + 5, to = json.IndexOf(',', from);
        return string.Concat(json.AsSpan(0, from), (FirstTimestampMs + step * StepMs).ToString(CultureInfo.InvariantCulture), json.AsSpan(to));
    }

    private double Noise(double sd) => random.Normal(sd);

    private int Poisson(double mean) => random.Poisson(mean);
}
