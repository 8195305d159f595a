using System.Runtime.InteropServices;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// The events the warm-up is redone on once the stream's own time has covered <c>Retraining:WarmupSpan</c> (a day by
/// default). A warm-up counts events, so how much of a daily cycle it sees depends on the fleet's size: 10,000 events
/// of 16 hosts that report once a minute are under 11 hours. The first model then has never seen the rest of the day;
/// on a fleet sharing one cycle it scored the unseen busy hours 3–4 × the seen ones, and its single threshold either
/// paged on them or sat above the faults of the quiet hours. So from the first model on, the warm-up's events and
/// every later one are kept here until they span the whole day, and the warm-up (screen and refit,
/// <see cref="Retrainer.RedoWarmup"/>) is done again on them, in event time. The scheduled retrains cannot do it:
/// the live model scores the unseen hours high, and the window's excursion cut leaves them out
/// (<see cref="LastingExcursions"/>). At most <c>capacity</c> rows are kept: past it, every second row is dropped and
/// only every second later event joins, so the rows stay spread over the whole span. Owned by the pipeline thread.
/// </summary>
internal sealed class DayCoverage(FeatureSchema schema, TimeSpan span, int capacity)
{
    private readonly List<float> rows = [];
    private readonly List<string?> entities = [];
    private readonly List<long> times = [];
    private readonly Dictionary<string, long> latestByEntity = new(StringComparer.Ordinal);
    private long firstMs = long.MaxValue;
    private long lastMs = long.MinValue;
    private int stride = 1;
    private long offered;

    /// <summary>Whether rows are being gathered for a redo.</summary>
    public bool Active { get; private set; }

    /// <summary>Rows held.</summary>
    public int Count => times.Count;

    /// <summary>The event time the rows held span.</summary>
    public TimeSpan Covered => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(lastMs - firstMs);

    /// <summary>
    /// Whether nine entities in ten have reported through the whole <c>span</c> since the first event, so the redo is
    /// due; or, so that hosts gone quiet cannot hold it back for ever, whether the events span twice as long. A backlog
    /// is read partition by partition, and one partition's hosts can be a day ahead of another's: the stream's latest
    /// event alone had called a day covered when 12 of 16 hosts had reported 10 hours of it.
    /// </summary>
    public bool Due => Active && Covered >= span && (CoveredByMostEntities >= span || Covered >= 2 * span);

    // From the first event to the latest of the entity at the 10th percentile of latest event times.
    private TimeSpan CoveredByMostEntities
    {
        get
        {
            long[] latest = [.. latestByEntity.Values];
            Array.Sort(latest);
            return TimeSpan.FromMilliseconds(latest[latest.Length / 10] - firstMs);
        }
    }

    /// <summary>
    /// Starts gathering with the warm-up's rows when every one has an event time and together they span less than
    /// <c>span</c>; returns whether it started. Without event times the stream's time is unknown, and nothing starts.
    /// </summary>
    public bool Begin(ReadOnlySpan<float> warmupRows, ReadOnlySpan<string?> warmupEntities, ReadOnlySpan<DateTimeOffset?> warmupTimes)
    {
        if (span <= TimeSpan.Zero || warmupTimes.Length == 0)
        {
            return false;
        }

        foreach (DateTimeOffset? time in warmupTimes)
        {
            if (time is null)
            {
                return false;
            }
        }

        for (int i = 0; i < warmupTimes.Length; i++)
        {
            Offer(warmupRows.Slice(i * schema.FeatureCount, schema.FeatureCount), warmupEntities[i], warmupTimes[i]!.Value);
        }

        Active = Covered < span;
        if (!Active)
        {
            Clear();
        }

        return Active;
    }

    /// <summary>
    /// Starts gathering again, with no rows, after a restart from a model whose warm-up's redo was still pending
    /// (<see cref="Checkpoints.CheckpointStore.WarmupRedoPending"/>); the redo is then due once the events read since
    /// span <c>span</c>. Returns whether it started: not without event times in the schema, nor with the redo off.
    /// </summary>
    public bool Resume()
    {
        Active = span > TimeSpan.Zero && schema.TimestampPath is not null;
        return Active;
    }

    /// <summary>Keeps a scored row (every <c>stride</c>-th once the capacity was reached); rows without an event time are skipped.</summary>
    public void Add(ReadOnlySpan<float> row, string? entity, DateTimeOffset? eventTime)
    {
        if (Active && eventTime is { } time)
        {
            Offer(row, entity, time);
        }
    }

    /// <summary>The rows held, in event time (ties in the order they came), as a warm-up table; gathering ends.</summary>
    public FeatureTable Take()
    {
        int features = schema.FeatureCount;
        int[] order = [.. Enumerable.Range(0, Count).OrderBy(i => times[i])];
        float[] values = RowMajor.Gather(CollectionsMarshal.AsSpan(rows), features, order);
        string?[]? keys = schema.EntityKeyPath is null ? null : [.. order.Select(i => entities[i])];
        Clear();
        return new FeatureTable(schema, values, keys);
    }

    private void Offer(ReadOnlySpan<float> row, string? entity, DateTimeOffset eventTime)
    {
        long ms = eventTime.ToUnixTimeMilliseconds();
        firstMs = Math.Min(firstMs, ms);
        lastMs = Math.Max(lastMs, ms);
        string key = entity ?? string.Empty;
        latestByEntity[key] = latestByEntity.TryGetValue(key, out long latest) ? Math.Max(latest, ms) : ms;
        if (offered++ % stride != 0)
        {
            return;
        }

        if (Count >= capacity)
        {
            Thin();
        }

        rows.AddRange(row);
        entities.Add(entity);
        times.Add(ms);
    }

    // Drops every second row held, and from now on keeps every second event of those it would have kept.
    private void Thin()
    {
        int features = schema.FeatureCount;
        int kept = 0;
        for (int i = 0; i < Count; i += 2, kept++)
        {
            CollectionsMarshal.AsSpan(rows).Slice(i * features, features).CopyTo(CollectionsMarshal.AsSpan(rows).Slice(kept * features, features));
            entities[kept] = entities[i];
            times[kept] = times[i];
        }

        rows.RemoveRange(kept * features, rows.Count - (kept * features));
        entities.RemoveRange(kept, entities.Count - kept);
        times.RemoveRange(kept, times.Count - kept);
        stride *= 2;
    }

    private void Clear()
    {
        Active = false;
        rows.Clear();
        entities.Clear();
        times.Clear();
        latestByEntity.Clear();
        (firstMs, lastMs, stride, offered) = (long.MaxValue, long.MinValue, 1, 0);
    }
}
