using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Aggregation;

/// <summary>
/// The extraction of an aggregated schema: reads each event's records into its entity's intervals, and fills the batch
/// with the intervals that closed, by event time or because their entity went quiet, as rows (<see cref="IntervalInput"/>).
/// An event stays incomplete until every interval it joined is done; an event with no record any feature selects
/// completes at once; a bad event is dead-lettered whole, before any of its records joins an interval. It runs on one
/// thread (the extraction thread, or the scoring thread with <c>Pipeline:ExtractAhead</c> off).
/// </summary>
internal sealed class IntervalExtraction
{
    private readonly FeatureSchema schema;
    private readonly AggregationOptions aggregation;
    private readonly WorkerMetrics metrics;
    private readonly Action<InputEvent, DeadLetter> deadLetter;
    private readonly TimeProvider time;
    private readonly RecordReader reader;
    private readonly IntervalAggregator<InputEvent> intervals;
    private readonly List<(string? Entity, DateTimeOffset Time, RecordValues Values)> records = [];
    private readonly List<RecordValues> spare = [];
    private readonly List<OpenInterval<InputEvent>> joined = [];
    private readonly TimeSpan idleStep;
    private DateTimeOffset lastCall;
    private DateTimeOffset activeClock;

    public IntervalExtraction(FeatureSchema schema, PipelineOptions options, WorkerMetrics metrics, Action<InputEvent, DeadLetter> deadLetter, TimeProvider time)
    {
        this.schema = schema;
        aggregation = schema.Aggregation!;
        this.metrics = metrics;
        this.deadLetter = deadLetter;
        this.time = time;
        reader = new RecordReader(schema);
        intervals = new IntervalAggregator<InputEvent>(schema, options.MaxEntities);
        idleStep = aggregation.EffectiveIdleTimeout / 2;
        lastCall = activeClock = time.GetUtcNow();
    }

    /// <summary>
    /// Takes <paramref name="batch"/>'s events into their intervals, then moves closed intervals into
    /// <paramref name="into"/> as rows, as many as it holds; the rest wait for the next call. An empty batch still
    /// closes the intervals of quiet entities.
    /// </summary>
    public int Extract(IReadOnlyList<InputEvent> batch, ExtractedBatch into, Func<InputEvent, bool> screen)
    {
        DateTimeOffset now = ActiveNow();
        for (int i = 0; i < batch.Count; i++)
        {
            // The screen dead-letters (or skips) a tombstone or an oversize payload itself.
            if (screen(batch[i]))
            {
                Take(batch[i], now);
            }
        }

        intervals.CloseIdle(now);
        metrics.Intervals(intervals.OpenIntervals, intervals.Evictions);
        return Fill(into);
    }

    /// <summary>
    /// The clock an entity's quiet time is measured on: processing time, except that one gap between two calls counts
    /// for at most half the idle timeout. While input is quiet, the batcher calls every quarter of the timeout, so the
    /// clock keeps pace; while the pipeline itself is held up (the first model's training, a long GC), it does not,
    /// and entities whose events wait in the channel are not taken for quiet ones.
    /// </summary>
    private DateTimeOffset ActiveNow()
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeSpan gap = now - lastCall;
        lastCall = now;
        activeClock += gap < TimeSpan.Zero ? TimeSpan.Zero : gap > idleStep ? idleStep : gap;
        return activeClock;
    }

    /// <summary>
    /// At the end of input (shutdown): the events still in intervals will not complete in this process. Each partition
    /// stops tracking from its earliest held offset, so its stored position stays before them, the consumer's close does
    /// not wait for them, and the next run reads them again and rebuilds those intervals.
    /// </summary>
    public void ReleaseHeld()
    {
        foreach (IGrouping<Kafka.Offsets.PartitionProgress, InputEvent> partition in intervals.HeldMembers.GroupBy(m => m.Progress))
        {
            partition.Key.Untrack(partition.Min(m => m.Offset));
        }
    }

    private void Take(InputEvent source, DateTimeOffset now)
    {
        records.Clear();
        try
        {
            reader.Read(source.Value, this, static (self, entity, at, values) =>
            {
                if (values.Any)
                {
                    self.records.Add((entity, at, self.Copy(values)));
                }
            });
        }
        catch (FeatureExtractionException e)
        {
            Recycle();
            deadLetter(source, new DeadLetter(e.Kind.ToString(), e.Message, e.Field));
            return;
        }

        joined.Clear();
        bool late = false;
        foreach ((string? entity, DateTimeOffset at, RecordValues values) in records)
        {
            if (intervals.Add(entity, at, values, now) is not { } interval)
            {
                late = true;
            }
            else if (!joined.Contains(interval))
            {
                joined.Add(interval);
            }
        }

        Recycle();
        if (late)
        {
            metrics.LateEvent();
        }

        if (joined.Count == 0)
        {
            if (late && aggregation.LateEvents == LateEventPolicy.DeadLetter)
            {
                deadLetter(source, new DeadLetter("Late", $"every record is later than its interval allowed (aggregation.interval {DurationJsonConverter.Format(aggregation.Interval)}, allowedLateness {DurationJsonConverter.Format(aggregation.AllowedLateness)}); aggregation.lateEvents = Drop passes over them", schema.TimestampPath));
            }
            else
            {
                // Nothing in it for this schema (another collectd plugin), or late and dropped: done at once.
                source.Complete();
            }

            return;
        }

        // One hold per interval joined: the event completes with the last of them.
        for (int j = 1; j < joined.Count; j++)
        {
            source.Hold();
        }

        foreach (OpenInterval<InputEvent> interval in joined)
        {
            interval.Attach(source);
        }
    }

    private int Fill(ExtractedBatch into)
    {
        int features = schema.FeatureCount;
        int count = 0;
        while (count < into.Readable.Length && intervals.TryTakeClosed(out ClosedInterval<InputEvent> closed))
        {
            IntervalInput input = IntervalInput.Of(closed, schema);
            FeatureExtractionException? failure = closed.Problem(schema);
            if (failure is not null)
            {
                deadLetter(input, new DeadLetter(failure.Kind.ToString(), $"interval [{closed.Start:O}, {closed.End:O}): {failure.Message}", failure.Field));
                continue;
            }

            closed.Row.CopyTo(into.Rows.AsSpan(count * features, features));
            into.Entities[count] = closed.Entity;
            into.EventTimes[count] = closed.Start;
            into.Readable[count++] = input;
        }

        into.Count = count;
        return count;
    }

    private RecordValues Copy(RecordValues values)
    {
        RecordValues copy;
        if (spare.Count > 0)
        {
            copy = spare[^1];
            spare.RemoveAt(spare.Count - 1);
        }
        else
        {
            copy = new RecordValues(schema.FeatureCount);
        }

        values.Matched.CopyTo(copy.Matched, 0);
        values.Values.CopyTo(copy.Values, 0);
        values.Hashes.CopyTo(copy.Hashes, 0);
        return copy;
    }

    private void Recycle()
    {
        foreach ((_, _, RecordValues values) in records)
        {
            spare.Add(values);
        }

        records.Clear();
    }
}
