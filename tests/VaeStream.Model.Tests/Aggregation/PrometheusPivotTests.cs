using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Prometheus-style samples (name, labels, value, timestamp in Unix milliseconds; one sample per record) through
/// config/schemas/prometheus.json: one row per instance and minute, features matched on the name and labels.
/// </summary>
public sealed class PrometheusPivotTests
{
    private static readonly string[] Messages =
    [
        """{"name":"node_load1","labels":{"instance":"web-1:9100","job":"node"},"value":0.5,"timestamp":1796418370000}""",
        """{"name":"node_memory_MemAvailable_bytes","labels":{"instance":"web-1:9100","job":"node"},"value":8000000000,"timestamp":1796418370000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"0","mode":"idle"},"value":1000,"timestamp":1796418370000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"0","mode":"user"},"value":50,"timestamp":1796418370000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"1","mode":"idle"},"value":7,"timestamp":1796418370000}""",
        """{"name":"http_requests_total","labels":{"instance":"web-1:9100","code":"500"},"value":10,"timestamp":1796418370000}""",
        """{"name":"http_requests_total","labels":{"instance":"web-1:9100","code":"200"},"value":100000,"timestamp":1796418370000}""",
        """{"name":"node_load1","labels":{"instance":"web-2:9100","job":"node"},"value":2,"timestamp":1796418380000}""",
        """{"name":"node_load1","labels":{"instance":"web-1:9100","job":"node"},"value":1.5,"timestamp":1796418400000}""",
        """{"name":"node_memory_MemAvailable_bytes","labels":{"instance":"web-1:9100","job":"node"},"value":7500000000,"timestamp":1796418400000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"0","mode":"idle"},"value":1029.5,"timestamp":1796418400000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"0","mode":"user"},"value":80,"timestamp":1796418400000}""",
        """{"name":"node_cpu_seconds_total","labels":{"instance":"web-1:9100","job":"node","cpu":"1","mode":"idle"},"value":37,"timestamp":1796418400000}""",
        """{"name":"http_requests_total","labels":{"instance":"web-1:9100","code":"500"},"value":16,"timestamp":1796418400000}""",
        """{"name":"http_requests_total","labels":{"instance":"web-1:9100","code":"200"},"value":200000,"timestamp":1796418400000}""",
    ];

    private static readonly FeatureSchema Prometheus = ShippedSchemas.Load("prometheus.json");

    private static Dictionary<string, ClosedInterval<int>> Rows()
    {
        var feed = new IntervalFeed(Prometheus);
        foreach (string message in Messages)
        {
            feed.Add(message);
        }

        feed.Intervals.CloseAll();
        return feed.TakeClosed().ToDictionary(row => row.Entity!);
    }

    [Fact]
    public void Each_instance_gets_one_row_for_the_minute_of_its_millisecond_timestamps()
    {
        Dictionary<string, ClosedInterval<int>> rows = Rows();

        Assert.Equal(["web-1:9100", "web-2:9100"], rows.Keys.Order());
        Assert.All(rows.Values, row => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_418_360), row.Start));
    }

    [Fact]
    public void Gauges_and_counters_are_matched_on_the_name_and_labels()
    {
        double[] web1 = Rows()["web-1:9100"].Values;

        // load1 (max), memory_available (last).
        Assert.Equal(1.5, web1[0]);
        Assert.Equal(7.5e9, web1[1]);
        // cpu0_idle_per_s: (1029.5 − 1000) / 30 s; cpu 0 "user" (30/30 = 1) and cpu 1 "idle" (1) are other series.
        Assert.Equal(29.5 / 30, web1[2], 12);
        // http_5xx_per_s: (16 − 10) / 30 s; the code "200" series would give 3,333/s.
        Assert.Equal(6.0 / 30, web1[3], 12);
    }

    [Fact]
    public void An_instance_with_one_gauge_sample_has_the_gauge_and_no_rates()
    {
        double[] web2 = Rows()["web-2:9100"].Values;

        Assert.Equal(2, web2[0]);
        Assert.Equal(double.NaN, web2[2]);
        Assert.Equal(double.NaN, web2[3]);
    }
}
