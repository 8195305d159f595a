using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>One feature's running aggregate over one entity's interval. Holds only what its kind needs.</summary>
internal sealed class FeatureAccumulator(FeatureDefinition feature)
{
    private readonly PercentileBuffer? percentiles = feature.Aggregate == AggregateKind.Percentile ? new PercentileBuffer() : null;
    private readonly DistinctSketch? distinct = feature.Aggregate == AggregateKind.Distinct ? new DistinctSketch() : null;
    private long count;
    private double sum;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;
    private double earliest, latest;
    private long earliestTicks = long.MaxValue, latestTicks = long.MinValue;

    /// <summary>Records that matched (for <c>count</c>, whether or not they carried a value).</summary>
    public long Count => count;

    /// <summary>Takes one matching record's value (NaN for <c>count</c> and <c>distinct</c>) at its event time.</summary>
    public void Add(double value, ulong hash, long eventTicks)
    {
        count++;
        if (distinct is not null)
        {
            distinct.Add(hash);
            return;
        }

        if (double.IsNaN(value))
        {
            return;
        }

        sum += value;
        min = Math.Min(min, value);
        max = Math.Max(max, value);
        percentiles?.Add(value);
        if (eventTicks < earliestTicks)
        {
            (earliest, earliestTicks) = (value, eventTicks);
        }

        // At or after: among records of the same time, the last one read is the latest.
        if (eventTicks >= latestTicks)
        {
            (latest, latestTicks) = (value, eventTicks);
        }
    }

    /// <summary>The aggregate in the event's units, before the feature's transform; NaN when there is no value.</summary>
    public double Result() => feature.Aggregate switch
    {
        AggregateKind.Count => count,
        AggregateKind.Sum => sum,
        AggregateKind.Mean => count == 0 ? double.NaN : sum / count,
        AggregateKind.Min => count == 0 ? double.NaN : min,
        AggregateKind.Max => count == 0 ? double.NaN : max,
        AggregateKind.Last => count == 0 ? double.NaN : latest,
        AggregateKind.Rate => Rate(),
        AggregateKind.Percentile => percentiles!.Percentile(feature.Percentile!.Value),
        AggregateKind.Distinct => distinct!.Estimate(),
        _ => throw new InvalidOperationException($"{feature.Aggregate} is not accumulated per record."),
    };

    private double Rate()
    {
        if (latestTicks <= earliestTicks || latest < earliest)
        {
            // One sample, or all at one instant, says nothing of a rate; a counter that went down was reset.
            return double.NaN;
        }

        return (latest - earliest) / TimeSpan.FromTicks(latestTicks - earliestTicks).TotalSeconds;
    }
}
