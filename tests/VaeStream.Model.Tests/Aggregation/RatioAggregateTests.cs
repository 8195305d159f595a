using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary><c>ratio</c> divides two other features' aggregates of the same interval.</summary>
public sealed class RatioAggregateTests
{
    private static readonly string Features = """
        {"name":"requests","aggregate":"Count"},
        {"name":"errors","aggregate":"Count","where":{"path":"status","op":"Gte","value":500}},
        {"name":"posts","aggregate":"Count","where":{"path":"method","op":"Eq","value":"POST"}},
        {"name":"error_ratio","aggregate":"Ratio","numerator":"errors","denominator":"requests"},
        {"name":"errors_per_post","aggregate":"Ratio","numerator":"errors","denominator":"posts","missing":"ImputeMean"}
        """;

    [Fact]
    public void Errors_over_requests_is_the_share_of_failed_requests()
    {
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 1, "\"status\":200,\"method\":\"GET\""));
        feed.Add(Event("h", 2, "\"status\":503,\"method\":\"GET\""));
        feed.Add(Event("h", 3, "\"status\":200,\"method\":\"GET\""));
        feed.Add(Event("h", 4, "\"status\":500,\"method\":\"GET\""));

        ClosedInterval<int> interval = feed.CloseSingle();

        // 2 errors of 4 requests.
        Assert.Equal(0.5, interval.Values[3]);
    }

    [Fact]
    public void A_zero_denominator_gives_no_value_rather_than_infinity_or_zero()
    {
        // No POST in the interval: errors / posts = 1 / 0, which is missing, while error_ratio is still defined.
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 1, "\"status\":200,\"method\":\"GET\""));
        feed.Add(Event("h", 2, "\"status\":502,\"method\":\"GET\""));

        ClosedInterval<int> interval = feed.CloseSingle();

        Assert.Equal(0, interval.Values[2]);
        Assert.Equal(double.NaN, interval.Values[4]);
        Assert.Equal(float.NaN, interval.Row[4]);
        Assert.Equal(0.5, interval.Values[3]);
    }
}
