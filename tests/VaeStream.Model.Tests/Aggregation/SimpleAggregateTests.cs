using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>count, sum, mean, min and max of one entity's interval, against results worked out by hand.</summary>
public sealed class SimpleAggregateTests
{
    private static readonly string Features = """
        {"name":"n","aggregate":"Count"},
        {"name":"total","aggregate":"Sum","path":"v"},
        {"name":"avg","aggregate":"Mean","path":"v"},
        {"name":"low","aggregate":"Min","path":"v"},
        {"name":"high","aggregate":"Max","path":"v"}
        """;

    [Fact]
    public void Count_sum_mean_min_and_max_of_four_values_are_exact()
    {
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 1, "\"v\":3"));
        feed.Add(Event("h", 2, "\"v\":-2"));
        feed.Add(Event("h", 3, "\"v\":7.5"));
        feed.Add(Event("h", 4, "\"v\":0"));

        ClosedInterval<int> interval = feed.CloseSingle();

        // 3 − 2 + 7.5 + 0 = 8.5; 8.5 / 4 = 2.125; all exact in binary, so compared exactly.
        Assert.Equal([4, 8.5, 2.125, -2, 7.5], interval.Values);
        Assert.Equal([4f, 8.5f, 2.125f, -2f, 7.5f], interval.Row);
        Assert.Equal(4, interval.Records);
    }

    [Fact]
    public void A_record_without_the_field_is_counted_but_does_not_dilute_the_mean()
    {
        // count has no path, so it counts every record of the interval; the others see only records with v. Were the
        // field-less record taken as a value, the mean would be 8.5 / 5 = 1.7 (or the min 0).
        var feed = new IntervalFeed(Schema(Features));
        feed.Add(Event("h", 1, "\"v\":3"));
        feed.Add(Event("h", 2, "\"v\":-2"));
        feed.Add(Event("h", 3, "\"other\":1"));
        feed.Add(Event("h", 4, "\"v\":7.5"));
        feed.Add(Event("h", 5, "\"v\":null"));
        feed.Add(Event("h", 6, "\"v\":0"));

        ClosedInterval<int> interval = feed.CloseSingle();

        Assert.Equal([6, 8.5, 2.125, -2, 7.5], interval.Values);
    }
}
