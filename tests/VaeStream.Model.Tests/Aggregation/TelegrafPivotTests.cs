using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Telegraf's JSON output (<c>data_format = "json"</c>: fields, name, tags, timestamp in Unix seconds) through
/// config/schemas/telegraf.json: one row per host and minute.
/// </summary>
public sealed class TelegrafPivotTests
{
    // 1796418360 is a multiple of 60: the minute [1796418360, 1796418420) holds every message below.
    private static readonly string[] Messages =
    [
        """{"fields":{"usage_user":10,"usage_iowait":1},"name":"cpu","tags":{"cpu":"cpu-total","host":"web-1"},"timestamp":1796418370}""",
        """{"fields":{"usage_user":99,"usage_iowait":50},"name":"cpu","tags":{"cpu":"cpu0","host":"web-1"},"timestamp":1796418370}""",
        """{"fields":{"bytes_recv":1000000,"bytes_sent":4000},"name":"net","tags":{"interface":"eth0","host":"web-1"},"timestamp":1796418370}""",
        """{"fields":{"used_percent":40},"name":"mem","tags":{"host":"web-1"},"timestamp":1796418370}""",
        """{"fields":{"load1":0.5,"load5":0.25},"name":"system","tags":{"host":"web-1"},"timestamp":1796418370}""",
        """{"fields":{"usage_user":5,"usage_iowait":0},"name":"cpu","tags":{"cpu":"cpu-total","host":"web-2"},"timestamp":1796418380}""",
        """{"fields":{"bytes_recv":500},"name":"net","tags":{"interface":"eth0","host":"web-2"},"timestamp":1796418380}""",
        """{"fields":{"bytes_recv":9000000000},"name":"net","tags":{"interface":"lo","host":"web-1"},"timestamp":1796418385}""",
        """{"fields":{"usage_user":30,"usage_iowait":3},"name":"cpu","tags":{"cpu":"cpu-total","host":"web-1"},"timestamp":1796418400}""",
        """{"fields":{"bytes_recv":1600000,"bytes_sent":8000},"name":"net","tags":{"interface":"eth0","host":"web-1"},"timestamp":1796418400}""",
        """{"fields":{"used_percent":42.5},"name":"mem","tags":{"host":"web-1"},"timestamp":1796418400}""",
        """{"fields":{"load1":1.25,"load5":0.5},"name":"system","tags":{"host":"web-1"},"timestamp":1796418400}""",
    ];

    private static readonly FeatureSchema Telegraf = ShippedSchemas.Load("telegraf.json");

    private static Dictionary<string, ClosedInterval<int>> Rows()
    {
        var feed = new IntervalFeed(Telegraf);
        foreach (string message in Messages)
        {
            feed.Add(message);
        }

        feed.Intervals.CloseAll();
        return feed.TakeClosed().ToDictionary(row => row.Entity!);
    }

    [Fact]
    public void Each_host_gets_one_row_for_the_minute()
    {
        Dictionary<string, ClosedInterval<int>> rows = Rows();

        Assert.Equal(["web-1", "web-2"], rows.Keys.Order());
        Assert.All(rows.Values, row => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_418_360), row.Start));
        Assert.All(rows.Values, row => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_418_420), row.End));
    }

    [Fact]
    public void Features_match_on_the_measurement_name_and_tags()
    {
        double[] web1 = Rows()["web-1"].Values;

        // cpu_user, cpu_iowait: the mean of cpu-total only (cpu0's 99 and 50 are left out).
        Assert.Equal(20, web1[0]);
        Assert.Equal(2, web1[1]);
        // mem_used_percent (last) and load1 (max).
        Assert.Equal(42.5, web1[2]);
        Assert.Equal(1.25, web1[3]);
    }

    [Fact]
    public void The_bytes_recv_counter_becomes_a_per_second_rate_over_eth0_only()
    {
        ClosedInterval<int> web1 = Rows()["web-1"];

        // (1,600,000 − 1,000,000) bytes / 30 s = 20,000 B/s; the "lo" counter at 9e9 is another interface.
        Assert.Equal(20_000, web1.Values[4], 9);
        Assert.Equal(Math.Log(1 + 20_000.0), web1.Row[4], 5);
    }

    [Fact]
    public void A_host_with_one_counter_sample_has_no_rate_and_its_unreported_gauges_are_missing()
    {
        double[] web2 = Rows()["web-2"].Values;

        Assert.Equal(5, web2[0]);
        Assert.Equal(0, web2[1]);
        Assert.Equal(double.NaN, web2[2]);
        Assert.Equal(double.NaN, web2[3]);
        Assert.Equal(double.NaN, web2[4]);
    }
}
