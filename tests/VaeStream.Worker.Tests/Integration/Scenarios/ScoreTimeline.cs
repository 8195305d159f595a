using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using VaeStream.Kafka.Consuming;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// Records when each event was scored, by which model, and whether it was flagged.
/// </summary>
internal sealed class ScoreTimeline : IScoreObserver
{
    public ConcurrentQueue<(long Timestamp, int ModelVersion, string Key, bool Flagged, DateTime Produced)> Events { get; } = new();

    public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion) =>
        Events.Enqueue((Stopwatch.GetTimestamp(), modelVersion, source.Key is not null ? Encoding.UTF8.GetString(source.Key) : "", score > threshold, source.Timestamp.UtcDateTime));

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
    private static readonly DateTime OriginTime = DateTime.UtcNow;

    private static DateTime WallClock(long timestamp) => OriginTime + Stopwatch.GetElapsedTime(OriginTimestamp, timestamp);

    /// <summary>The events scored inside <paramref name="window"/> (Stopwatch timestamps, ends included).</summary>
    public List<(long Timestamp, int ModelVersion, string Key, bool Flagged, DateTime Produced)> ScoredDuring((long Start, long End) window) =>
        Events.Where(e => e.Timestamp >= window.Start && e.Timestamp <= window.End).ToList();

    /// <summary>
    /// The longest stall that overlaps one of <paramref name="windows"/>: a pause between two consecutive scored
    /// events while input was waiting, that is, the event that ended it had been produced before the pause began. A
    /// pause with nothing to score is the feed's, not the worker's, and does not count.
    /// </summary>
    public TimeSpan LongestStallDuring(IEnumerable<(long Start, long End)> windows)
    {
        var spans = windows.ToArray();
        var events = Events.ToArray();
        TimeSpan longest = TimeSpan.Zero;
        for (int i = 1; i < events.Length; i++)
        {
            (long previous, long next) = (events[i - 1].Timestamp, events[i].Timestamp);
            bool overlaps = spans.Any(w => previous < w.End && next > w.Start);
            bool inputWaiting = events[i].Produced < WallClock(previous);
            TimeSpan gap = Stopwatch.GetElapsedTime(previous, next);
            longest = overlaps && inputWaiting && gap > longest ? gap : longest;
        }

        return longest;
    }
}
