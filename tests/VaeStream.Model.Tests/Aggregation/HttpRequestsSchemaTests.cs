using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// One event per HTTP request (service, ts in Unix ms, status, latency_ms, user) through config/schemas/http-requests.json:
/// requests, errors (status ≥ 500), error_ratio, latency p50 and p99, distinct users per service and 10 s.
/// </summary>
public sealed class HttpRequestsSchemaTests
{
    private static readonly FeatureSchema Http = ShippedSchemas.Load("http-requests.json");

    private static string Request(string service, double seconds, int status, double latency, string user) =>
        $$"""{"service":"{{service}}","ts":{{Ms(seconds)}},"status":{{status}},"latency_ms":{{latency}},"user":"{{user}}","path":"/cart"}""";

    private static Dictionary<string, ClosedInterval<int>> Rows()
    {
        var feed = new IntervalFeed(Http);
        feed.Add(Request("checkout", 1, 200, 12, "u1"));
        feed.Add(Request("checkout", 2, 200, 15, "u2"));
        feed.Add(Request("checkout", 3, 503, 40, "u1"));
        feed.Add(Request("checkout", 4, 200, 20, "u3"));
        feed.Add(Request("checkout", 5, 500, 100, "u2"));
        feed.Add(Request("search", 6, 200, 5, "u9"));
        feed.Intervals.CloseAll();
        return feed.TakeClosed().ToDictionary(row => row.Entity!);
    }

    [Fact]
    public void A_services_interval_counts_requests_errors_and_users_and_takes_latency_percentiles()
    {
        ClosedInterval<int> checkout = Rows()["checkout"];

        // requests 5; errors 2 (503, 500); ratio 2/5; latencies sorted 12 15 20 40 100: p50 = 20, p99 at rank
        // 0.99 × 4 = 3.96: 40 + 0.96 × 60 = 97.6; users u1 u2 u3.
        Assert.Equal(5, checkout.Values[0]);
        Assert.Equal(2, checkout.Values[1]);
        Assert.Equal(0.4, checkout.Values[2], 12);
        Assert.Equal(20, checkout.Values[3], 12);
        Assert.Equal(97.6, checkout.Values[4], 9);
        Assert.Equal(3, checkout.Values[5]);
        Assert.Null(checkout.Problem(Http));
    }

    [Fact]
    public void The_counts_latencies_and_users_are_log1p_in_the_row_and_the_ratio_is_not()
    {
        ClosedInterval<int> checkout = Rows()["checkout"];

        Assert.Equal((float)Math.Log(6), checkout.Row[0]);
        Assert.Equal((float)Math.Log(3), checkout.Row[1]);
        Assert.Equal(0.4f, checkout.Row[2], 6);
        Assert.Equal((float)Math.Log(21), checkout.Row[3]);
        Assert.Equal(Math.Log(98.6), checkout.Row[4], 5);
        Assert.Equal((float)Math.Log(4), checkout.Row[5]);
    }

    [Fact]
    public void A_service_without_errors_has_zero_errors_and_a_usable_row()
    {
        ClosedInterval<int> search = Rows()["search"];

        Assert.Equal([1, 0, 0, 5, 5, 1], search.Values);
        Assert.Null(search.Problem(Http));
    }
}
