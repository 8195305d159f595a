using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// An interval that exists (another feature had records) but in which no record matched a feature: count and sum are
/// 0, as nothing happened; the others have no value.
/// </summary>
public sealed class EmptyFeatureInIntervalTests
{
    [Fact]
    public void Count_and_sum_are_zero_and_mean_is_missing_when_no_record_matched()
    {
        var feed = new IntervalFeed(Schema("""
            {"name":"a_count","aggregate":"Count","match":{"kind":"a"}},
            {"name":"a_sum","aggregate":"Sum","path":"v","match":{"kind":"a"}},
            {"name":"a_mean","aggregate":"Mean","path":"v","match":{"kind":"a"},"missing":"ImputeMean"},
            {"name":"b_count","aggregate":"Count","match":{"kind":"b"}}
            """));
        feed.Add(Event("h", 1, "\"kind\":\"b\",\"v\":5"));
        feed.Add(Event("h", 2, "\"kind\":\"b\",\"v\":7"));

        ClosedInterval<int> interval = feed.CloseSingle();

        Assert.Equal([0, 0, double.NaN, 2], interval.Values);
        Assert.Equal([0f, 0f, float.NaN, 2f], interval.Row);
        // a_mean is ImputeMean, so the row is usable: the imputer fills it.
        Assert.Null(interval.Problem(feed.Schema));
    }
}
