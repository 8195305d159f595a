using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary><c>distinct</c>: exact up to 256 distinct values, a k-minimum-values estimate beyond.</summary>
public sealed class DistinctAggregateTests
{
    private static readonly string Features = """{"name":"users","aggregate":"Distinct","path":"user"}""";

    private static double DistinctOf(int distinct, int repeats)
    {
        var feed = new IntervalFeed(Schema(Features));
        for (int r = 0; r < repeats; r++)
        {
            for (int i = 0; i < distinct; i++)
            {
                feed.Add(Event("h", 0.0001 * i, $"\"user\":\"user-{i}\""));
            }
        }

        return Assert.Single(feed.CloseSingle().Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(255)]
    [InlineData(256)] // AggregateKind.Distinct and DistinctSketch both say "exact up to 256".
    public void Up_to_256_distinct_values_are_counted_exactly_whatever_the_repeats(int distinct)
    {
        // Each value three times: repeats must not count.
        Assert.Equal(distinct, DistinctOf(distinct, repeats: 3));
    }

    [Fact]
    public void Ten_thousand_distinct_values_are_estimated_within_4_standard_errors()
    {
        // The sketch's doc comment: relative standard error 1 / √(K − 2) = 6.3% with K = 256. Within 4 × 6.3% = 25.2%
        // of 10,000 is generous for one fixed hash, but an estimate that saturates at 256, counts repeats (20,000), or
        // is off by a factor (a wrong K or range) falls outside.
        double estimate = DistinctOf(10_000, repeats: 2);

        Assert.InRange(estimate, 10_000 * (1 - 4 * 0.063), 10_000 * (1 + 4 * 0.063));
    }
}
