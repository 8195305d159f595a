using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Testing;
using VaeStream.Worker.Hosting;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The real worker host in this process, against the bench cluster, starting from a pre-trained checkpoint. Records
/// when each event was scored, and the end-to-end latency of each acknowledged anomaly split into its stages.
/// </summary>
internal sealed class WorkerBenchRun : IScoreObserver, IAsyncDisposable
{
    private readonly IHost host;
    private readonly long[] scoredAt;
    private readonly List<LatencyStages> latencies = [];
    private readonly ConcurrentDictionary<InputEvent, long> flaggedAt = new(ReferenceEqualityComparer.Instance);
    private int scored;

    public WorkerBenchRun(string bootstrapServers, IReadOnlyList<string> topics, string checkpoints, int capacity,
        IReadOnlyDictionary<string, string?> extra)
    {
        scoredAt = new long[capacity];
        var inProcess = new Dictionary<string, string?> { ["Operations:Enabled"] = "false" };
        Dictionary<string, string?> settings = BenchWorkerSettings.Create(bootstrapServers, topics, checkpoints, inProcess.Concat(extra));

        host = WorkerHost.Build(overrides: settings, configure: s => s.AddSingleton<IScoreObserver>(this), minimumLevel: LogLevel.Warning);
        string anomalyTopic = settings["Kafka:AnomalyTopic"]!;
        host.Services.GetRequiredService<OutputPublisher>().Delivered += (source, report) =>
        {
            if (report.Topic == anomalyTopic && flaggedAt.TryRemove(source, out long flagged))
            {
                long acknowledged = Stopwatch.GetTimestamp();
                double total = (DateTime.UtcNow - source.Timestamp.UtcDateTime).TotalMilliseconds;
                double inWorker = Stopwatch.GetElapsedTime(source.ReceivedAt, flagged).TotalMilliseconds;
                double toAck = Stopwatch.GetElapsedTime(flagged, acknowledged).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(new LatencyStages(total, total - inWorker - toAck, inWorker, toAck));
                }
            }
        };
    }

    public WorkerMetrics Metrics => host.Services.GetRequiredService<WorkerMetrics>();

    /// <summary>The host's services, for the consumer status.</summary>
    public IServiceProvider Services => host.Services;

    public int ScoredCount => Volatile.Read(ref scored);

    public Task StartAsync() => host.StartAsync();

    /// <summary>Waits until <paramref name="count"/> events are scored; false on timeout.</summary>
    public Task<bool> WaitForScored(int count, TimeSpan timeout) =>
        Wait.UntilAsync(() => ScoredCount >= count, timeout, TimeSpan.FromMilliseconds(20));

    /// <summary>
    /// The longest time between two consecutive scored events, in ms: a pipeline stall shows up here. With
    /// <paramref name="counts"/>, only the gaps it accepts (by the Stopwatch timestamps of their two ends) are counted.
    /// </summary>
    public double LongestScoringGapMs(Func<long, long, bool>? counts = null)
    {
        int n = Math.Min(ScoredCount, scoredAt.Length);
        long longest = 0;
        for (int i = 1; i < n; i++)
        {
            (long previous, long next) = (scoredAt[i - 1], scoredAt[i]);
            if (counts is null || counts(previous, next))
            {
                longest = Math.Max(longest, next - previous);
            }
        }

        return longest * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Waits until the worker owns <paramref name="partitions"/> partitions; false on timeout.</summary>
    public Task<bool> WaitForAssignment(int partitions, TimeSpan timeout) =>
        Wait.UntilAsync(() => Metrics.AssignedPartitions >= partitions, timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>Stopwatch timestamp of the first scored event.</summary>
    public long FirstScoredAt => scoredAt[0];

    /// <summary>Events per second from the first scored event to the <paramref name="count"/>-th.</summary>
    public double Throughput(int count) => (count - 1) / Stopwatch.GetElapsedTime(scoredAt[0], scoredAt[count - 1]).TotalSeconds;

    /// <summary>Events scored per second between two Stopwatch timestamps, and the length of that span.</summary>
    public (double EventsPerSecond, TimeSpan Span) ThroughputBetween(long start, long end)
    {
        int n = ScoredCount;
        long last = scoredAt[n - 1];
        long to = Math.Min(end, last);
        if (to <= start)
        {
            return (double.NaN, TimeSpan.Zero); // the backlog ran out before the span began
        }

        int inside = 0;
        for (int i = 0; i < n; i++)
        {
            inside += scoredAt[i] >= start && scoredAt[i] <= to ? 1 : 0;
        }

        TimeSpan span = Stopwatch.GetElapsedTime(start, to);
        return (inside / span.TotalSeconds, span);
    }

    public List<LatencyStages> Latencies()
    {
        lock (latencies)
        {
            return [.. latencies];
        }
    }

    public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion)
    {
        int i = scored;
        long now = Stopwatch.GetTimestamp();
        if (i < scoredAt.Length)
        {
            scoredAt[i] = now;
        }

        if (score > threshold)
        {
            flaggedAt[source] = now;
        }

        Volatile.Write(ref scored, i + 1);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(60));
        host.Dispose();
    }

    public static string Ms(TimeSpan delay) => delay.ToString("c", CultureInfo.InvariantCulture);
}

/// <summary>
/// One anomaly's end-to-end latency and its stages, in ms: producer timestamp → the worker's consume thread (the
/// generator's producer, the broker, the fetch), → scored (channel, batch fill, extraction, forward pass), → the
/// broker's acknowledgement of the anomaly message (the output producer's linger, the broker).
/// </summary>
internal readonly record struct LatencyStages(double Total, double ToWorker, double InWorker, double ToAcknowledged);
