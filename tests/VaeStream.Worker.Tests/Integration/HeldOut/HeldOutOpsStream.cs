using System.Globalization;
using System.Text;

namespace VaeStream.Worker.Tests.Integration.HeldOut;

/// <summary>Kinds of anomaly in the held-out stream: what SRE teams see, as opposed to the demo generator's four.</summary>
internal enum HeldOutKind
{
    None,
    Frozen,
    LatencyDegradation,
    Spike,
    CorrelationBreak,
    ErrorBurst,
    SlowRamp,
    LevelShift,
    QueueBacklog,
}

/// <summary>
/// One event of the held-out stream and its truth: the kind and segment it belongs to (segment −1: none).
/// <paramref name="Key"/> (<c>host-H:step</c>) names the event; it is produced keyed by <see cref="Host"/>, as a
/// pipeline keeps each host's events in order on one partition.
/// </summary>
internal sealed record HeldOutEvent(string Key, byte[] Value, HeldOutKind Kind, int Segment)
{
    public string Host => Key[..Key.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>The <see cref="Key"/> of <paramref name="host"/>'s event at <paramref name="step"/>.</summary>
    public static string KeyOf(string host, long step) => string.Create(CultureInfo.InvariantCulture, $"{host}:{step}");
}

/// <summary>
/// An ops stream written apart from the demo's generator, and never used to choose a setting: hosts × eight metrics
/// (cpu, memory, latency p50 and p99, error rate, request rate, bytes in and out) on a 12-hour load cycle with a
/// phase and a memory base of each host's own, one event per host per step. After <c>cleanSteps</c> steps (by default
/// <see cref="CleanSteps"/>, after the worker's warm-up; 0 puts faults in the warm-up too), segments of
/// six kinds are injected one host at a time, and the level of the <c>shifted</c> hosts (memory + shift, CPU + 0.6 × shift) moves
/// for good at <see cref="ShiftStep"/>; their events are labelled <see cref="HeldOutKind.LevelShift"/> for
/// <see cref="ShiftLabelSteps"/> steps, the time a drift retrain needs to make the new level normal.
/// </summary>
internal sealed class HeldOutOpsStream : IHeldOutStream
{
    public const int CleanSteps = 1_600;
    public const int ShiftStep = 3_600;
    public const int ShiftLabelSteps = 400;
    private const int Cycle = 720;
    private const long FirstTimestampMs = 1_790_000_000_000L;
    private const long StepMs = 120_000L;

    private static readonly HeldOutKind[] Injected =
        [HeldOutKind.Frozen, HeldOutKind.LatencyDegradation, HeldOutKind.Spike, HeldOutKind.CorrelationBreak, HeldOutKind.ErrorBurst, HeldOutKind.SlowRamp];

    private readonly int hosts;
    private readonly Random random;
    private readonly double[] phase;
    private readonly double[] memoryBase;
    private readonly Dictionary<(int Host, int Step), (HeldOutKind Kind, int Segment, int Offset, int Length)> schedule = [];

    private readonly IReadOnlySet<int> shifted;
    private readonly double shift;
    private readonly int cleanSteps;

    public HeldOutOpsStream(int hosts, int steps, int segmentsPerKind, int seed, IReadOnlySet<int> shifted, double shift = 20, int cleanSteps = CleanSteps)
    {
        this.cleanSteps = cleanSteps;
        this.hosts = hosts;
        this.shifted = shifted;
        this.shift = shift;
        random = new Random(seed);
        phase = [.. Enumerable.Range(0, hosts).Select(h => 2 * Math.PI * h / hosts)];
        memoryBase = [.. Enumerable.Range(0, hosts).Select(h => 30 + 4.0 * h)];
        Steps = steps;
        int segment = 0;
        foreach (HeldOutKind kind in Injected)
        {
            for (int n = 0; n < segmentsPerKind; n++)
            {
                Schedule(kind, segment++, steps);
            }
        }

        Segments = segment;
    }

    public int Steps { get; }

    public int Segments { get; }

    /// <inheritdoc />
    public Dictionary<int, HeldOutKind> SegmentKinds { get; } = [];

    /// <inheritdoc />
    public IEnumerable<HeldOutEvent> Generate()
    {
        var frozen = new Dictionary<int, (double Cpu, double Memory, double P50, double P99, double Errors)>();
        for (int step = 0; step < Steps; step++)
        {
            for (int host = 0; host < hosts; host++)
            {
                yield return Next(host, step, frozen);
            }
        }
    }

    // Segments last 4-12 steps of one host; no two overlap on a host, none starts before cleanSteps, and none falls
    // in the steps after the level shift during which a drift retrain suppresses alarms.
    private void Schedule(HeldOutKind kind, int segment, int steps)
    {
        int length = kind switch { HeldOutKind.Spike => random.Next(1, 3), HeldOutKind.SlowRamp => 40, _ => random.Next(4, 13) };
        while (true)
        {
            int host = random.Next(hosts), start = random.Next(cleanSteps, steps - length);
            bool quiet = start + length < ShiftStep - 20 || start > ShiftStep + ShiftLabelSteps + 200;
            if (quiet && Enumerable.Range(start - 5, length + 10).All(s => !schedule.ContainsKey((host, s))))
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

    private HeldOutEvent Next(int host, int step, Dictionary<int, (double Cpu, double Memory, double P50, double P99, double Errors)> frozen)
    {
        double load = 0.5 + 0.35 * Math.Sin(2 * Math.PI * step / Cycle + phase[host]) + Noise(0.03);
        double cpu = 10 + 75 * load + Noise(2);
        double memory = memoryBase[host] + 25 * load + Noise(1);
        double requests = 100 + 1_000 * load + Noise(20);
        double p50 = 15 + 35 * load + Noise(1.2);
        double p99 = 2.2 * p50 + 10 + Noise(3);
        double errors = Math.Max(0, 0.3 + Noise(0.05));
        double bytesIn = requests * 1_200 * (1 + Noise(0.02));
        double bytesOut = requests * 8_000 * (1 + Noise(0.02));
        HeldOutKind kind = HeldOutKind.None;
        int segment = -1;
        if (shifted.Contains(host) && step >= ShiftStep)
        {
            memory += shift;
            cpu += 0.6 * shift;
            kind = step < ShiftStep + ShiftLabelSteps ? HeldOutKind.LevelShift : HeldOutKind.None;
        }

        if (schedule.TryGetValue((host, step), out var injected))
        {
            (kind, segment) = (injected.Kind, injected.Segment);
            switch (kind)
            {
                case HeldOutKind.LatencyDegradation:
                    double factor = 1.8 + 0.7 * random.NextDouble();
                    (p50, p99) = (p50 * factor, p99 * factor);
                    break;
                case HeldOutKind.Spike:
                    (p99, cpu) = (p99 * 6, Math.Min(100, cpu + 30));
                    break;
                case HeldOutKind.CorrelationBreak:
                    // Busy by the traffic, idle on the CPU, and the responses grow far larger than the requests imply.
                    (cpu, bytesOut) = (Math.Max(2, cpu * 0.3), bytesOut * 3);
                    break;
                case HeldOutKind.ErrorBurst:
                    errors = 5 + 10 * random.NextDouble();
                    break;
                case HeldOutKind.SlowRamp:
                    memory += 35.0 * (injected.Offset + 1) / injected.Length;
                    p99 *= 1 + 1.5 * (injected.Offset + 1) / injected.Length;
                    break;
            }
        }

        if (kind == HeldOutKind.Frozen)
        {
            // The agent keeps reporting its last reading, with the traffic counters at zero.
            if (!frozen.TryGetValue(host, out var stuck))
            {
                frozen[host] = stuck = (cpu, memory, p50, p99, errors);
            }

            (cpu, memory, p50, p99, errors, requests, bytesIn, bytesOut) = (stuck.Cpu, stuck.Memory, stuck.P50, stuck.P99, stuck.Errors, 0, 0, 0);
        }
        else
        {
            frozen.Remove(host);
        }

        string json = Event(host, step, cpu, memory, p50, p99, errors, requests, bytesIn, bytesOut);
        return new HeldOutEvent(HeldOutEvent.KeyOf($"host-{host}", step), Encoding.UTF8.GetBytes(json), kind, segment);
    }

    private static string Event(int host, int step, double cpu, double memory, double p50, double p99, double errors, double requests,
        double bytesIn, double bytesOut) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"host":"host-{{host}}","ts":{{FirstTimestampMs + step * StepMs}},"cpu":{{cpu:F2}},"mem":{{memory:F2}},"latency_ms":{"p50":{{p50:F2}},"p99":{{p99:F2}}},"error_rate":{{errors:F3}},"request_rate":{{requests:F1}},"bytes_in":{{bytesIn:F0}},"bytes_out":{{bytesOut:F0}}}""");

    /// <inheritdoc />
    public string EventKey(string entity, DateTimeOffset eventTime) =>
        HeldOutEvent.KeyOf(entity, (eventTime.ToUnixTimeMilliseconds() - FirstTimestampMs) / StepMs);

    private double Noise(double sd) => random.Normal(sd);
}
