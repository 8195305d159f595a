using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using Xunit.Abstractions;

namespace VaeStream.Model.Tests.Features;

public sealed partial class ExtractionEquivalenceTests(ITestOutputHelper output)
{
    private const int EventCount = 1_000_000;
    private const int SampleCount = 100_000;

    // Every kind of bad payload the bad-input test sends (tombstones reach the extractor as no bytes at all), and
    // variants of a generated event that the fast path reads or leaves to the reader.
    private static readonly Func<string, byte[]>[] Variants =
    [
        e => [.. Encoding.UTF8.GetBytes(e[..(e.IndexOf("\"host\":\"", StringComparison.Ordinal) + 9)]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(e[(e.IndexOf("\"host\":\"", StringComparison.Ordinal) + 9)..])],
        e => Bytes(TimestampNumber().Replace(e, "\"ts\":\"$1\"")),
        _ => [],
        e => Bytes(e.Replace("\"host\":\"h", "\"host\":\"\\u0068", StringComparison.Ordinal)),
        e => Bytes(e + " /* trailing comment */"),
        e => Bytes("\uFEFF" + e),
        e => Bytes(e.Replace(",", " ,\n\t", StringComparison.Ordinal).Replace(":", " : ", StringComparison.Ordinal)),
        e => Bytes(CpuValue().Replace(e, "\"cpu\":$1e0")),
        e => Bytes(CpuValue().Replace(e, "\"cpu\":1e400")),
        e => Bytes(CpuValue().Replace(e, "\"cpu\":\"$1\"")),
        e => Bytes(CpuValue().Replace(e, "\"cpu\":null")),
        e => Bytes(TimestampNumber().Replace(e, "\"ts\":\"2026-11-01T00:00:00.123+01:00\"")),
        e => Bytes(TimestampNumber().Replace(e, "\"ts\":1.5e12")),
        e => Bytes(e.Replace("\"p50\":", "\"p50\":-5,\"x\":", StringComparison.Ordinal)),
        e => Bytes(e.Replace("\"mem\":", "\"mem\":7,\"mem\":", StringComparison.Ordinal)),
        e => Bytes(e[..^1] + ",}"),
        e => Bytes(e + "{}"),
        e => Bytes(e.Replace("\"host\":", "\"deep\":" + new string('[', 40) + new string(']', 40) + ",\"host\":", StringComparison.Ordinal)),
        e => Bytes(e.Replace("\"host\":", "\"deep\":" + new string('[', 70) + new string(']', 70) + ",\"host\":", StringComparison.Ordinal)),
        e => Bytes(e.Replace("\"host\":\"", "\"host\":\"é ", StringComparison.Ordinal)),
    ];

    [Fact]
    public void The_fast_path_gives_the_readers_values_fields_and_errors_on_a_million_generated_events()
    {
        FeatureSchema schema = FeatureSchema.Load(Path.Combine(RepositoryRoot.Path, "config", "schemas", "ops-event.json"));
        var comparison = new ExtractorComparison(schema);
        float[] scratch = new float[schema.FeatureCount];
        var generator = new OpsEventGenerator(hosts: 50, anomalyRate: 0.02, seed: 16);
        using IEnumerator<GeneratedEvent> events = generator.Generate(int.MaxValue).GetEnumerator();
        using IEnumerator<(string Key, byte[] Value, string Kind)> malformed = generator.Malformed(int.MaxValue).GetEnumerator();
        var differences = new List<string>();
        var errors = new Dictionary<FeatureErrorKind, int>();
        var sample = new List<byte[]>(SampleCount);
        (int plain, int plainFast, int variants, int bad) = (0, 0, 0, 0);

        for (int i = 0; i < EventCount; i++)
        {
            byte[] payload;
            events.MoveNext();
            if (i % 100 == 99)
            {
                malformed.MoveNext();
                payload = malformed.Current.Value;
                bad++;
            }
            else if (i % 100 == 49)
            {
                payload = Variants[(i / 100) % Variants.Length](Encoding.UTF8.GetString(events.Current.Value));
                variants++;
            }
            else
            {
                payload = events.Current.Value;
                plain++;
                plainFast += comparison.Extractor.TryExtractFast(payload, scratch, out _) ? 1 : 0;
            }

            if (comparison.Difference(payload) is { } difference && differences.Count < 10)
            {
                differences.Add($"event {i} {Encoding.UTF8.GetString(payload)}: {difference}");
            }

            if (comparison.Reader(payload).Error is { } error)
            {
                errors[error.Kind] = errors.GetValueOrDefault(error.Kind) + 1;
            }

            if (sample.Count < SampleCount)
            {
                sample.Add(payload);
            }
        }

        // The malformed kinds the bad-input test uses, and the 2 MiB payload it sends once.
        string padding = new('x', 2 * 1024 * 1024);
        byte[] huge = Encoding.UTF8.GetBytes($$"""{"host":"h1","cpu":1,"pad":"{{padding}}"}""");
        if (comparison.Difference(huge) is { } hugeDifference)
        {
            differences.Add($"the 2 MiB payload: {hugeDifference}");
        }

        output.WriteLine($"{plain} plain events ({plainFast} on the fast path), {variants} variants, {bad} malformed; errors: " +
            string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
        Assert.Empty(differences);
        Assert.Equal(plain, plainFast);
        Assert.Equal(Enum.GetValues<FeatureErrorKind>(), errors.Keys.Order());

        Measure(comparison.Extractor, sample, schema.FeatureCount);
    }

    // Not asserted: wall-clock times depend on the machine. Best of three rounds, in the test's output.
    private void Measure(JsonFeatureExtractor extractor, List<byte[]> sample, int features)
    {
        float[] row = new float[features];
        List<byte[]> plain = sample.Where(p => extractor.TryExtractFast(p, row, out _)).ToList();
        foreach ((string name, List<byte[]> payloads) in new[] { ("plain events", plain), ("the mixture, 1% malformed and 1% variants", sample) })
        {
            double reader = BestNanosecondsPerEvent(payloads, p => extractor.ExtractWithReader(p, row));
            double extract = BestNanosecondsPerEvent(payloads, p => extractor.Extract(p, row));
            output.WriteLine($"{name}: reader {reader:F0} ns/event, Extract {extract:F0} ns/event ({payloads.Count} events)");
        }
    }

    private static double BestNanosecondsPerEvent(List<byte[]> payloads, Action<byte[]> extract)
    {
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (byte[] payload in payloads)
            {
                try
                {
                    extract(payload);
                }
                catch (FeatureExtractionException)
                {
                    // A bad event costs its error too; that is part of what is measured.
                }
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / payloads.Count);
        }

        return best;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [GeneratedRegex("\"ts\":(\\d+)")]
    private static partial Regex TimestampNumber();

    [GeneratedRegex("\"cpu\":([0-9.]+)")]
    private static partial Regex CpuValue();
}
