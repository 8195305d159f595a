using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>A feature's transform applies to the interval's aggregate, not to each record's value.</summary>
public sealed class TransformAfterAggregationTests
{
    [Fact]
    public void Log1p_is_taken_of_the_mean_not_the_mean_of_log1p()
    {
        // mean(1, 3) = 2 → log1p(2) = ln 3 ≈ 1.0986; the mean of the logs would be (ln 2 + ln 4) / 2 ≈ 1.0397.
        var feed = new IntervalFeed(Schema("""{"name":"v","aggregate":"Mean","path":"v","transform":"Log1p"}"""));
        feed.Add(Event("h", 1, "\"v\":1"));
        feed.Add(Event("h", 2, "\"v\":3"));

        ClosedInterval<int> interval = feed.CloseSingle();

        Assert.Equal(2, Assert.Single(interval.Values));
        Assert.Equal((float)Math.Log(3), Assert.Single(interval.Row));
    }

    [Fact]
    public void An_aggregate_outside_the_transforms_domain_makes_the_row_unusable_naming_the_feature()
    {
        // mean(−3, −1) = −2, and log1p needs a value above −1: the interval closes with a failure, not a NaN row
        // that would pass as "missing".
        var feed = new IntervalFeed(Schema("""{"name":"v","aggregate":"Mean","path":"v","transform":"Log1p","missing":"ImputeMean"}"""));
        feed.Add(Event("h", 1, "\"v\":-3"));
        feed.Add(Event("h", 2, "\"v\":-1"));

        ClosedInterval<int> interval = feed.CloseSingle();

        FeatureExtractionException problem = Assert.IsType<FeatureExtractionException>(interval.Problem(feed.Schema));
        Assert.Equal(FeatureErrorKind.OutOfDomain, problem.Kind);
        Assert.Equal("v", problem.Field);
    }
}
