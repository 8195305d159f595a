using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VaeStream.Simulation;

/// <summary>Kinds of injected anomaly.</summary>
public enum AnomalyKind
{
    /// <summary>Not an anomaly.</summary>
    None,

    /// <summary>Latency jumps 6–10-fold for a few minutes.</summary>
    Spike,

    /// <summary>Memory sits far above its usual level.</summary>
    LevelShift,

    /// <summary>Request rate collapses while CPU stays busy: the usual relation breaks.</summary>
    CorrelationBreak,

    /// <summary>Error rate and latency turn noisy.</summary>
    VarianceBurst,
}

/// <summary>One generated event and its ground truth.</summary>
/// <param name="Key">Message key: <c>host:sequence</c>.</param>
/// <param name="Value">The JSON event.</param>
/// <param name="Kind">The injected anomaly, or <see cref="AnomalyKind.None"/>.</param>
internal sealed record GeneratedEvent(string Key, byte[] Value, AnomalyKind Kind)
{
    /// <summary>Whether an anomaly was injected.</summary>
    public bool IsAnomaly => Kind != AnomalyKind.None;
}

/// <summary>
/// A multivariate ops scenario: hosts × (cpu, mem, latency p50/p99, error rate, request rate), one event per host
/// per simulated minute, driven by a daily load curve with a per-host phase, correlated metrics and noise.
/// Anomalies are injected as short segments (1–4 minutes) of four kinds, with the truth kept beside each event.
/// <paramref name="kinds"/> limits the kinds injected (all four when null).
/// </summary>
/// <remarks>
/// An injected segment lasts <c>segmentLength.Min</c>..<c>segmentLength.Max</c> events of its host (1..4 by default:
/// point-like faults). The demo uses longer ones, as incidents in operations last minutes to hours.
/// </remarks>
public sealed class OpsEventGenerator(int hosts, double anomalyRate, int seed, IReadOnlyList<AnomalyKind>? kinds = null, (int Min, int Max)? segmentLength = null)
{
    private static readonly AnomalyKind[] AllKinds = [AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.CorrelationBreak, AnomalyKind.VarianceBurst];
    private readonly IReadOnlyList<AnomalyKind> injected = kinds ?? AllKinds;
    private readonly (int Min, int Max) lengths = segmentLength ?? (1, 4);
    private double MeanSegmentLength => (lengths.Min + lengths.Max) / 2.0;
    private readonly Random random = new(seed);
    private readonly double[] phases = Enumerable.Range(0, hosts).Select(h => h * 2 * Math.PI / Math.Max(1, hosts)).ToArray();
    private readonly (AnomalyKind Kind, int Left)[] segments = new (AnomalyKind, int)[hosts];
    private readonly DateTimeOffset start = Origin;
    private long step;

    /// <summary>Event time of step 0; step N is N minutes later. Keys are <c>hHH:NNNNNNN</c>, host and step.</summary>
    public static DateTimeOffset Origin { get; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The next <paramref name="count"/> events, hosts interleaved minute by minute.</summary>
    internal IEnumerable<GeneratedEvent> Generate(int count)
    {
        for (int produced = 0; produced < count; step++)
        {
            for (int host = 0; host < hosts && produced < count; host++, produced++)
            {
                yield return Next(host);
            }
        }
    }

    private GeneratedEvent Next(int host)
    {
        AnomalyKind kind = NextKind(host);
        double minuteOfDay = step % 1440;
        double load = 0.5 + 0.3 * Math.Sin(2 * Math.PI * minuteOfDay / 1440 + phases[host]) + Noise(0.03);
        double cpu = 15 + 70 * load + Noise(2.5);
        double mem = 40 + 20 * load + Noise(1.5);
        double requests = 200 + 900 * load + Noise(25);
        double p50 = 20 + 30 * load + Noise(1.5);
        double p99 = 2.5 * p50 + 15 + Noise(4);
        double errors = Math.Max(0, 0.5 + Noise(0.08));

        switch (kind)
        {
            case AnomalyKind.Spike:
                p99 *= 6 + 4 * random.NextDouble();
                p50 *= 3;
                break;
            case AnomalyKind.LevelShift:
                mem += 35;
                break;
            case AnomalyKind.CorrelationBreak:
                requests *= 0.08;
                break;
            case AnomalyKind.VarianceBurst:
                errors += 2 + Math.Abs(Noise(3));
                p50 += Math.Abs(Noise(25));
                break;
        }

        string hostName = $"h{host:D2}";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("host", hostName);
            json.WriteNumber("ts", start.AddMinutes(step).ToUnixTimeMilliseconds());
            json.WriteNumber("cpu", Math.Round(Math.Clamp(cpu, 0, 100), 2));
            json.WriteNumber("mem", Math.Round(Math.Clamp(mem, 0, 100), 2));
            json.WriteStartObject("latency_ms");
            json.WriteNumber("p50", Math.Round(Math.Max(0.1, p50), 2));
            json.WriteNumber("p99", Math.Round(Math.Max(0.1, p99), 2));
            json.WriteEndObject();
            json.WriteNumber("error_rate", Math.Round(errors, 4));
            json.WriteNumber("request_rate", Math.Round(Math.Max(0, requests), 1));
            json.WriteEndObject();
        }

        return new GeneratedEvent(string.Create(CultureInfo.InvariantCulture, $"{hostName}:{step:D7}"), buffer.WrittenSpan.ToArray(), kind);
    }

    private AnomalyKind NextKind(int host)
    {
        if (segments[host].Left > 0)
        {
            segments[host].Left--;
            return segments[host].Kind;
        }

        if (random.NextDouble() >= anomalyRate / MeanSegmentLength)
        {
            return AnomalyKind.None;
        }

        AnomalyKind kind = injected[random.Next(injected.Count)];
        segments[host] = (kind, random.Next(lengths.Min - 1, lengths.Max));
        return kind;
    }

    private double Noise(double sigma) =>
        sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Malformed payloads of every kind the dead-letter path must handle, for tests and the demo.</summary>
    public IEnumerable<(string Key, byte[] Value, string Kind)> Malformed(int count)
    {
        string valid = Encoding.UTF8.GetString(Generate(1).First().Value);
        for (int i = 0; i < count; i++)
        {
            string key = $"bad:{i:D5}";
            yield return (i % 7) switch
            {
                0 => (key, RandomBytes(1 + random.Next(200)), "random bytes"),
                1 => (key, Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]), "truncated JSON"),
                2 => (key, Encoding.UTF8.GetBytes(valid.Replace("\"cpu\":", "\"cpu\":\"high\",\"x\":", StringComparison.Ordinal)), "wrong type"),
                3 => (key, Encoding.UTF8.GetBytes(valid.Replace("\"mem\":", "\"mem\":\"NaN\",\"x\":", StringComparison.Ordinal)), "NaN string"),
                4 => (key, Encoding.UTF8.GetBytes(valid.Replace("\"cpu\":", "\"cpu_missing\":", StringComparison.Ordinal)), "missing field"),
                5 => (key, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)), "deeply nested"),
                _ => (key, Encoding.UTF8.GetBytes(valid.Replace("\"cpu\":", "\"cpu\":\"Infinity\",\"x\":", StringComparison.Ordinal)), "Inf string"),
            };
        }
    }

    private byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = (byte)'x';
        return bytes;
    }
}
