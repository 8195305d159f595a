using VaeStream.Model.Aggregation;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>A feature's <c>where</c> and <c>match</c> decide which records it sees.</summary>
public sealed class FilterAndMatchTests
{
    [Fact]
    public void Gte_on_a_number_keeps_values_at_or_above_the_bound_only()
    {
        // 500 and 503 pass; 499.5 is just below; a status given as text, or no status, is not a number to compare.
        var feed = new IntervalFeed(Schema("""{"name":"errors","aggregate":"Count","where":{"path":"status","op":"Gte","value":500}}"""));
        foreach ((string status, int i) in new[] { "200", "500", "499.5", "503", "\"503\"", "404" }.Select((s, i) => (s, i)))
        {
            feed.Add(Event("h", i, $"\"status\":{status}"));
        }

        feed.Add(Event("h", 7));

        Assert.Equal(2, Assert.Single(feed.CloseSingle().Values));
    }

    [Fact]
    public void Eq_on_a_string_compares_the_text_exactly_and_filters_summed_values_too()
    {
        var feed = new IntervalFeed(Schema("""
            {"name":"posts","aggregate":"Count","where":{"path":"method","op":"Eq","value":"POST"}},
            {"name":"post_bytes","aggregate":"Sum","path":"bytes","where":{"path":"method","op":"Eq","value":"POST"}}
            """));
        feed.Add(Event("h", 1, "\"method\":\"POST\",\"bytes\":100"));
        feed.Add(Event("h", 2, "\"method\":\"GET\",\"bytes\":1000"));
        feed.Add(Event("h", 3, "\"method\":\"post\",\"bytes\":10000"));
        feed.Add(Event("h", 4, "\"method\":\"POST\",\"bytes\":20"));

        // Case matters: "post" is not "POST".
        Assert.Equal([2, 120], feed.CloseSingle().Values);
    }

    [Fact]
    public void Match_selects_the_narrow_records_of_one_metric()
    {
        // collectd-style records: one metric per record. Only cpu/user enters the mean: cpu/system and memory/user each
        // fail one of the two conditions.
        var feed = new IntervalFeed(Schema("""
            {"name":"cpu_user","aggregate":"Mean","path":"values[0]","match":{"plugin":"cpu","type_instance":"user"}}
            """));
        feed.Add(Event("h", 1, "\"plugin\":\"cpu\",\"type_instance\":\"user\",\"values\":[2]"));
        feed.Add(Event("h", 2, "\"plugin\":\"cpu\",\"type_instance\":\"system\",\"values\":[50]"));
        feed.Add(Event("h", 3, "\"plugin\":\"memory\",\"type_instance\":\"user\",\"values\":[1000]"));
        feed.Add(Event("h", 4, "\"plugin\":\"cpu\",\"type_instance\":\"user\",\"values\":[4]"));

        ClosedInterval<int> interval = feed.CloseSingle();

        Assert.Equal(3, Assert.Single(interval.Values));
        // The two records no feature selects are not added to the interval at all.
        Assert.Equal(2, interval.Records);
    }

    [Fact]
    public void Match_compares_a_numeric_field_by_its_json_text()
    {
        // Prometheus labels are strings, but a producer may write {"cpu": 0}; the schema's "0" matches both.
        var feed = new IntervalFeed(Schema("""{"name":"cpu0","aggregate":"Sum","path":"v","match":{"labels.cpu":"0"}}"""));
        feed.Add(Event("h", 1, "\"labels\":{\"cpu\":\"0\"},\"v\":1"));
        feed.Add(Event("h", 2, "\"labels\":{\"cpu\":0},\"v\":10"));
        feed.Add(Event("h", 3, "\"labels\":{\"cpu\":\"1\"},\"v\":100"));

        Assert.Equal(11, Assert.Single(feed.CloseSingle().Values));
    }
}
