using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using VaeStream.Kafka.Consuming;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// Records when each event was scored, by which model, and whether it was flagged. Without keys it allocates
/// nothing per event, so timing tests measure the worker's garbage collections rather than the recorder's.
/// </summary>
internal sealed class ScoreTimeline(bool keepKeys = true) : IScoreObserver
{
    public ConcurrentQueue<(long Timestamp, int ModelVersion, string Key, bool Flagged, DateTime Produced)> Events { get; } = new();

    public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion) =>
        Events.Enqueue((Stopwatch.GetTimestamp(), modelVersion, keepKeys && source.Key is not null ? Encoding.UTF8.GetString(source.Key) : "", score > threshold, source.Timestamp.UtcDateTime));

    /// <summary>The largest pauses, for failure messages: index, versions either side, milliseconds.</summary>
    public string DescribeGaps(int count)
    {
        var events = Events.ToArray();
        return string.Join("; ", Enumerable.Range(1, events.Length - 1)
            .Select(i => (i, v0: events[i - 1].ModelVersion, v1: events[i].ModelVersion, ms: Stopwatch.GetElapsedTime(events[i - 1].Timestamp, events[i].Timestamp).TotalMilliseconds))
            .OrderByDescending(g => g.ms).Take(count)
            .Select(g => $"#{g.i} v{g.v0}->v{g.v1} {g.ms:F0}ms ending {WallClock(events[g.i].Timestamp):HH:mm:ss.fff}, produced {events[g.i - 1].Produced:ss.fff}->{events[g.i].Produced:ss.fff}"));
    }

    private static readonly long OriginTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTime OriginTime = DateTime.Now;

    private static DateTime WallClock(long timestamp) => OriginTime + Stopwatch.GetElapsedTime(OriginTimestamp, timestamp);

    /// <summary>The longest pause between two consecutive scored events that overlaps one of <paramref name="windows"/>.</summary>
    public TimeSpan LongestGapDuring(IEnumerable<(long Start, long End)> windows)
    {
        var spans = windows.ToArray();
        long[] stamps = Events.Select(e => e.Timestamp).ToArray();
        TimeSpan longest = TimeSpan.Zero;
        for (int i = 1; i < stamps.Length; i++)
        {
            bool overlaps = spans.Any(w => stamps[i - 1] < w.End && stamps[i] > w.Start);
            TimeSpan gap = Stopwatch.GetElapsedTime(stamps[i - 1], stamps[i]);
            longest = overlaps && gap > longest ? gap : longest;
        }

        return longest;
    }
}
