using VaeStream.Model.Features;
using VaeStream.Model.Windowing;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Per-entity intervals of event time, open until their entity's events pass <c>end + AllowedLateness</c> (the
/// entity's own watermark: its latest event time) or until the entity has been quiet for the idle timeout. Closed
/// intervals queue in the order they closed. Memory is bounded by <c>maxEntities</c> × the open intervals of each:
/// a new entity past the bound closes the least recently seen one's intervals early (counted in
/// <see cref="Evictions"/>), so that no event is left without a row. One thread owns it.
/// </summary>
/// <typeparam name="TMember">What the caller attaches to an interval (the worker: its input events).</typeparam>
public sealed class IntervalAggregator<TMember>
{
    private readonly FeatureSchema schema;
    private readonly long intervalTicks;
    private readonly long latenessTicks;
    private readonly long idleTicks;
    private readonly int[] ratioOperands;
    private readonly EntityTracker<EntityIntervals> entities;
    private readonly Queue<ClosedInterval<TMember>> closed = new();
    private DateTimeOffset lastIdleSweep = DateTimeOffset.MinValue;

    /// <summary>Intervals for <paramref name="schema"/>, which must have an <c>aggregation</c> section.</summary>
    public IntervalAggregator(FeatureSchema schema, int maxEntities)
    {
        AggregationOptions options = schema.Aggregation ?? throw new ArgumentException("the schema has no 'aggregation' section", nameof(schema));
        this.schema = schema;
        intervalTicks = options.Interval.Ticks;
        latenessTicks = options.AllowedLateness.Ticks;
        idleTicks = options.EffectiveIdleTimeout.Ticks;
        string[] names = [.. schema.FeatureNames];
        ratioOperands = new int[schema.FeatureCount * 2];
        for (int i = 0; i < schema.FeatureCount; i++)
        {
            FeatureDefinition f = schema.Features[i];
            (ratioOperands[2 * i], ratioOperands[2 * i + 1]) = f.Aggregate == AggregateKind.Ratio
                ? (Array.IndexOf(names, f.Numerator), Array.IndexOf(names, f.Denominator))
                : (-1, -1);
        }

        entities = new EntityTracker<EntityIntervals>(maxEntities, () => new EntityIntervals(), (_, evicted) => CloseAll(evicted));
    }

    /// <summary>Entities with state.</summary>
    public int Entities => entities.Count;

    /// <summary>Entities evicted to stay within the bound; their intervals closed early.</summary>
    public long Evictions => entities.Evictions;

    /// <summary>Intervals open now.</summary>
    public int OpenIntervals { get; private set; }

    /// <summary>Records whose interval had already closed.</summary>
    public long LateRecords { get; private set; }

    /// <summary>Closed intervals not yet taken.</summary>
    public int ClosedWaiting => closed.Count;

    /// <summary>
    /// Adds one record of <paramref name="entity"/> at <paramref name="eventTime"/>, read at processing time
    /// <paramref name="now"/>. Returns the interval it joined, to attach members to, or null when it is late: its
    /// interval closed already, or would have, as the entity's events are past its end plus the allowed lateness.
    /// </summary>
    public OpenInterval<TMember>? Add(string? entity, DateTimeOffset eventTime, RecordValues values, DateTimeOffset now)
    {
        EntityIntervals state = entities.Get(entity ?? string.Empty);
        state.Entity = entity;
        state.LastSeen = now;
        long ticks = eventTime.UtcTicks;
        long start = ticks - Mod(ticks, intervalTicks);
        if (start < state.ClosedThrough || start + intervalTicks + latenessTicks <= state.Watermark)
        {
            LateRecords++;
            return null;
        }

        OpenInterval<TMember>? interval = null;
        foreach (OpenInterval<TMember> open in state.Open)
        {
            if (open.StartTicks == start)
            {
                interval = open;
                break;
            }
        }

        if (interval is null)
        {
            interval = new OpenInterval<TMember>(schema, start);
            state.Open.Add(interval);
            state.Open.Sort(static (a, b) => a.StartTicks.CompareTo(b.StartTicks));
            OpenIntervals++;
        }

        interval.Add(values, ticks);
        if (ticks > state.Watermark)
        {
            state.Watermark = ticks;
            CloseThrough(state, ticks);
        }

        return interval;
    }

    /// <summary>
    /// Closes the intervals of entities quiet for the idle timeout by <paramref name="now"/>; sweeps at most four times
    /// per timeout, as each sweep visits every entity.
    /// </summary>
    public void CloseIdle(DateTimeOffset now)
    {
        if ((now - lastIdleSweep).Ticks < idleTicks / 4)
        {
            return;
        }

        lastIdleSweep = now;
        foreach (EntityIntervals state in entities.States)
        {
            if (state.Open.Count > 0 && (now - state.LastSeen).Ticks >= idleTicks)
            {
                CloseAll(state);
            }
        }
    }

    /// <summary>Closes every open interval (the end of a file).</summary>
    public void CloseAll()
    {
        foreach (EntityIntervals state in entities.States)
        {
            CloseAll(state);
        }
    }

    /// <summary>The members of every interval not yet taken: open, or closed and waiting.</summary>
    public IEnumerable<TMember> HeldMembers =>
        entities.States.SelectMany(s => s.Open).SelectMany(o => o.Members).Concat(closed.SelectMany(c => c.Members));

    /// <summary>The oldest closed interval not yet taken.</summary>
    public bool TryTakeClosed(out ClosedInterval<TMember> interval) => closed.TryDequeue(out interval!);

    private void CloseThrough(EntityIntervals state, long watermark)
    {
        while (state.Open.Count > 0 && state.Open[0].StartTicks + intervalTicks + latenessTicks <= watermark)
        {
            Close(state, state.Open[0]);
            state.Open.RemoveAt(0);
        }
    }

    private void CloseAll(EntityIntervals state)
    {
        foreach (OpenInterval<TMember> interval in state.Open)
        {
            Close(state, interval);
        }

        state.Open.Clear();
    }

    private void Close(EntityIntervals state, OpenInterval<TMember> interval)
    {
        OpenIntervals--;
        long end = interval.StartTicks + intervalTicks;
        state.ClosedThrough = Math.Max(state.ClosedThrough, end);
        (float[] row, double[] values, FeatureExtractionException? failure) = interval.Row(ratioOperands);
        closed.Enqueue(new ClosedInterval<TMember>(state.Entity, new DateTimeOffset(interval.StartTicks, TimeSpan.Zero),
            new DateTimeOffset(end, TimeSpan.Zero), row, values, interval.Records, interval.Members, failure));
    }

    // A floor modulo, so that times before 1970 also fall in the interval that holds them.
    private static long Mod(long value, long by) => ((value % by) + by) % by;

    private sealed class EntityIntervals
    {
        public readonly List<OpenInterval<TMember>> Open = [];
        public string? Entity;
        public long Watermark = long.MinValue;
        public long ClosedThrough = long.MinValue;
        public DateTimeOffset LastSeen;
    }
}

/// <summary>An entity's interval while it takes records.</summary>
public sealed class OpenInterval<TMember>
{
    private readonly FeatureSchema schema;
    private readonly FeatureAccumulator?[] accumulators;
    private readonly List<TMember> members = [];

    internal OpenInterval(FeatureSchema schema, long startTicks)
    {
        this.schema = schema;
        StartTicks = startTicks;
        accumulators = [.. schema.Features.Select(f => f.Aggregate == AggregateKind.Ratio ? null : new FeatureAccumulator(f))];
    }

    /// <summary>Start of the interval in UTC ticks.</summary>
    public long StartTicks { get; }

    /// <summary>Records in the interval.</summary>
    public long Records { get; private set; }

    /// <summary>The members attached, in the order attached.</summary>
    public IReadOnlyList<TMember> Members => members;

    /// <summary>Attaches a member; the caller attaches each once.</summary>
    public void Attach(TMember member) => members.Add(member);

    internal void Add(RecordValues values, long eventTicks)
    {
        Records++;
        for (int i = 0; i < accumulators.Length; i++)
        {
            if (values.Matched[i])
            {
                accumulators[i]!.Add(values.Values[i], values.Hashes[i], eventTicks);
            }
        }
    }

    // The row in the event's units first (a ratio divides its operands' own aggregates), then each feature's transform.
    internal (float[] Row, double[] Values, FeatureExtractionException? Failure) Row(int[] ratioOperands)
    {
        int n = accumulators.Length;
        double[] raw = new double[n];
        for (int i = 0; i < n; i++)
        {
            raw[i] = accumulators[i]?.Result() ?? double.NaN;
        }

        for (int i = 0; i < n; i++)
        {
            if (ratioOperands[2 * i] >= 0)
            {
                double denominator = raw[ratioOperands[2 * i + 1]];
                raw[i] = denominator == 0 ? double.NaN : raw[ratioOperands[2 * i]] / denominator;
            }
        }

        float[] row = new float[n];
        FeatureExtractionException? failure = null;
        for (int i = 0; i < n; i++)
        {
            try
            {
                row[i] = double.IsNaN(raw[i]) ? float.NaN : FeatureTransforms.Apply(schema.Features[i], raw[i]);
            }
            catch (FeatureExtractionException e)
            {
                row[i] = float.NaN;
                failure ??= e;
            }
        }

        return (row, raw, failure);
    }
}
