using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// <c>percentile</c>: exact (numpy's default linear interpolation) while an interval holds at most 4096 values, a
/// sampled estimate beyond.
/// </summary>
public sealed class PercentileAggregateTests
{
    private static FeatureSchema SchemaFor(double percentile) =>
        Schema($$"""{"name":"p","aggregate":"Percentile","percentile":{{percentile}},"path":"latency"}""");

    // numpy.percentile(a, p): rank r = p/100 × (n − 1) in the sorted values; a[floor r] + frac(r) × (a[floor r + 1] − a[floor r]).
    [Theory]
    [InlineData(40, 29.0)] //  r = 1.6:  20 + 0.6 × (35 − 20) = 29
    [InlineData(50, 35.0)] //  r = 2:    35
    [InlineData(99, 49.6)] //  r = 3.96: 40 + 0.96 × (50 − 40) = 49.6
    [InlineData(1, 15.2)] //   r = 0.04: 15 + 0.04 × (20 − 15) = 15.2
    public void Few_values_give_numpys_linear_interpolation(double percentile, double expected)
    {
        var feed = new IntervalFeed(SchemaFor(percentile));
        foreach ((double latency, int i) in new double[] { 40, 15, 50, 20, 35 }.Select((v, i) => (v, i)))
        {
            feed.Add(Event("h", i, $"\"latency\":{latency}"));
        }

        Assert.Equal(expected, Assert.Single(feed.CloseSingle().Values), 9);
    }

    [Fact]
    public void Exactly_4096_values_are_still_exact()
    {
        // 0 … 4095 in a scrambled order (1237 is prime to 4096, so i × 1237 mod 4096 visits each once). The p99 rank
        // is 0.99 × 4095 = 4054.05, between the values 4054 and 4055: 4054.05 exactly (to rounding).
        FeatureSchema schema = SchemaFor(99);
        var intervals = new IntervalAggregator<int>(schema, 10);
        var record = new RecordValues(1);
        record.Matched[0] = true;
        for (int i = 0; i < PercentileBuffer.Capacity; i++)
        {
            record.Values[0] = i * 1237 % 4096;
            intervals.Add("h", At(i * 0.001), record, At(i * 0.001));
        }

        intervals.CloseAll();
        Assert.True(intervals.TryTakeClosed(out ClosedInterval<int> interval));
        Assert.Equal(4054.05, Assert.Single(interval.Values), 9);
    }

    [Fact]
    public void The_p99_of_100000_uniform_values_is_within_4_standard_deviations_of_the_exact_one()
    {
        // Past 4096 values the buffer keeps a uniform sample of 4096. Its doc comment states a rank error of about
        // √(p(1 − p) / 4096) ≈ 0.00155 (0.16 percentile points) at p99; on values uniform in 0..1 a rank error is the
        // same error in value. 4 standard deviations (0.0062) is generous for one seeded draw. The values arrive in
        // ascending order, so that a sample that is not uniform over the stream (the first or the last 4096 values,
        // or a reservoir that favours early or late ones) lands far from the exact p99 of about 0.99.
        var random = new Random(42);
        double[] values = new double[100_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble();
        }

        Array.Sort(values);
        FeatureSchema schema = SchemaFor(99);
        var intervals = new IntervalAggregator<int>(schema, 10);
        var record = new RecordValues(1);
        record.Matched[0] = true;
        for (int i = 0; i < values.Length; i++)
        {
            record.Values[0] = values[i];
            intervals.Add("h", At(i * 0.00005), record, At(i * 0.00005));
        }

        intervals.CloseAll();
        Assert.True(intervals.TryTakeClosed(out ClosedInterval<int> interval));
        double estimate = Assert.Single(interval.Values);

        // numpy's p99 of all 100,000 values.
        double rank = 0.99 * (values.Length - 1);
        int below = (int)Math.Floor(rank);
        double exact = values[below] + (rank - below) * (values[below + 1] - values[below]);

        double standardDeviation = Math.Sqrt(0.99 * 0.01 / PercentileBuffer.Capacity);
        Assert.InRange(estimate, exact - 4 * standardDeviation, exact + 4 * standardDeviation);
    }
}
