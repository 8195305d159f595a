namespace VaeStream.Kafka.Connectivity;

/// <summary>
/// Lets through the first line of each kind and then at most one per interval, counting the rest. During a broker
/// outage librdkafka reports the same connection failure on every poll (about 45 lines a second were measured), which
/// buries everything else in the log; one line per interval with a count says the same.
/// </summary>
internal sealed class ClientLogThrottle(TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Dictionary<string, (long LastWritten, int Suppressed)> kinds = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>
    /// Whether a line of <paramref name="kind"/> may be written now; <paramref name="suppressed"/> is how many of
    /// its kind were held back since the last one written.
    /// </summary>
    public bool ShouldWrite(string kind, out int suppressed)
    {
        lock (gate)
        {
            long now = clock.GetTimestamp();
            if (interval > TimeSpan.Zero && kinds.TryGetValue(kind, out var last) && clock.GetElapsedTime(last.LastWritten, now) < interval)
            {
                kinds[kind] = (last.LastWritten, last.Suppressed + 1);
                suppressed = 0;
                return false;
            }

            suppressed = kinds.TryGetValue(kind, out var previous) ? previous.Suppressed : 0;
            kinds[kind] = (now, 0);
            return true;
        }
    }
}
