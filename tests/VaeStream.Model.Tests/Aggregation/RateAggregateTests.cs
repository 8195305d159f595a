using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary><c>rate</c>: a counter's per-second change from its earliest to its latest sample of the interval.</summary>
public sealed class RateAggregateTests
{
    private static readonly string Features = """{"name":"per_s","aggregate":"Rate","path":"counter","missing":"ImputeMean"}""";

    private static double RateOf(params (double Seconds, double Counter)[] samples)
    {
        var feed = new IntervalFeed(Schema(Features));
        foreach ((double seconds, double counter) in samples)
        {
            feed.Add(Event("h", seconds, $"\"counter\":{counter}"));
        }

        return Assert.Single(feed.CloseSingle().Values);
    }

    [Fact]
    public void The_rate_is_the_change_from_the_first_to_the_last_sample_per_second()
    {
        // (400 − 100) / (7 s − 1 s) = 50 per second; the middle sample does not enter.
        Assert.Equal(50, RateOf((1, 100), (4, 160), (7, 400)));
    }

    [Fact]
    public void The_first_and_last_samples_are_by_event_time_not_read_order()
    {
        // Read first→last this would be (160 − 400) / (4 s − 7 s), a different number (80), or a "reset".
        Assert.Equal(50, RateOf((7, 400), (1, 100), (4, 160)));
    }

    [Fact]
    public void One_sample_gives_no_rate()
    {
        Assert.Equal(double.NaN, RateOf((3, 1000)));
    }

    [Fact]
    public void A_counter_that_went_down_was_reset_and_gives_no_rate()
    {
        Assert.Equal(double.NaN, RateOf((1, 500), (5, 100)));
    }
}
