using System.Text;
using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Real collectd 5.12 <c>write_kafka</c> JSON messages (Debian 12's collectd-core, Interval 1, host "testhost"), each
/// a JSON array of one value list with <c>time</c> in Unix seconds, pivoted by config/schemas/collectd.json into one row
/// per host and 10-second interval.
/// </summary>
public sealed class CollectdPivotTests
{
    // Verbatim, a subset of the recording's 144 messages in time order. The tick at 1796418375.312 is collectd's first: its
    // derive values (if_octets) have no previous reading, so they are null. [1796418370, 1796418380) is the interval.
    private static readonly string[] Recorded =
    [
        """[{"values":[null,null],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418375.312,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_octets","type_instance":""}]""",
        """[{"values":[100978688],"dstypes":["gauge"],"dsnames":["value"],"time":1796418375.312,"interval":1.000,"host":"testhost","plugin":"memory","plugin_instance":"","type":"memory","type_instance":"used"}]""",
        """[{"values":[0.48046875,1.4892578125,2.31591796875],"dstypes":["gauge","gauge","gauge"],"dsnames":["shortterm","midterm","longterm"],"time":1796418375.312,"interval":1.000,"host":"testhost","plugin":"load","plugin_instance":"","type":"load","type_instance":""}]""",
        """[{"values":[4662.76893917996,4662.76893917996],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418376.308,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_octets","type_instance":""}]""",
        """[{"values":[0],"dstypes":["gauge"],"dsnames":["value"],"time":1796418376.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]""",
        """[{"values":[0],"dstypes":["gauge"],"dsnames":["value"],"time":1796418376.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"wait"}]""",
        """[{"values":[0.497512437810945],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]""",
        """[{"values":[0],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"system"}]""",
        """[{"values":[99.0049751243781],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"idle"}]""",
        """[{"values":[101335040],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"memory","plugin_instance":"","type":"memory","type_instance":"used"}]""",
        """[{"values":[18110967808],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"memory","plugin_instance":"","type":"memory","type_instance":"free"}]""",
        """[{"values":[0.44189453125,1.46435546875,2.30322265625],"dstypes":["gauge","gauge","gauge"],"dsnames":["shortterm","midterm","longterm"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"load","plugin_instance":"","type":"load","type_instance":""}]""",
        """[{"values":[5342.61116938624,5342.61116938624],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_octets","type_instance":""}]""",
        """[{"values":[7.99965985820552,7.99965985820552],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_packets","type_instance":""}]""",
        """[{"values":[5388.24130973952,5388.24130973952],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418379.308,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_octets","type_instance":""}]""",
        """[{"values":[0],"dstypes":["gauge"],"dsnames":["value"],"time":1796418379.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]""",
        // The next interval: memory "used" must not leak into the row of [1796418370, 1796418380) as its last value.
        """[{"values":[103239680],"dstypes":["gauge"],"dsnames":["value"],"time":1796418380.308,"interval":1.000,"host":"testhost","plugin":"memory","plugin_instance":"","type":"memory","type_instance":"used"}]""",
        // At 1796418382.308, past 1796418380 + 2 s of allowed lateness: testhost's clock closes the interval.
        """[{"values":[0],"dstypes":["gauge"],"dsnames":["value"],"time":1796418382.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]""",
    ];

    private static readonly FeatureSchema Collectd = ShippedSchemas.Load("collectd.json");

    private static ClosedInterval<int> FirstRow()
    {
        var feed = new IntervalFeed(Collectd);
        foreach (string message in Recorded)
        {
            feed.Add(message);
        }

        // Closed by the watermark, not by CloseAll.
        return Assert.Single(feed.TakeClosed());
    }

    [Fact]
    public void The_row_is_testhosts_10_second_interval()
    {
        ClosedInterval<int> row = FirstRow();

        Assert.Equal("testhost", row.Entity);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_418_370), row.Start);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_418_380), row.End);
        // Selected records in the interval: memory used ×2, load ×2, if_octets with values ×3, cpu user ×3, wait,
        // system. Not: the null if_octets, cpu idle, memory free, if_packets.
        Assert.Equal(12, row.Records);
        Assert.Null(row.Problem(Collectd));
    }

    [Fact]
    public void Each_feature_is_its_aggregate_of_the_matching_value_lists()
    {
        double[] values = FirstRow().Values;

        // cpu_user, cpu_system, cpu_wait, memory_used, load_1m, net_rx_bytes, net_tx_bytes (the schema's order).
        Assert.Equal((0 + 0.497512437810945 + 0) / 3, values[0], 12);
        Assert.Equal(0, values[1]);
        Assert.Equal(0, values[2]);
        // Last: the 1796418378.308 reading, not the earlier 100978688 nor the next interval's 103239680.
        Assert.Equal(101335040, values[3]);
        // Max of the shortterm load values[0]: 0.48046875 (375.312) over 0.44189453125 (378.308).
        Assert.Equal(0.48046875, values[4]);
        // The mean of the three non-null if_octets rx; the null tick would make it a mean of four (or fail).
        double octets = (4662.76893917996 + 5342.61116938624 + 5388.24130973952) / 3;
        Assert.Equal(octets, values[5], 9);
        Assert.Equal(octets, values[6], 9);
    }

    [Fact]
    public void The_transformed_row_takes_log1p_of_the_aggregates()
    {
        ClosedInterval<int> row = FirstRow();

        double octets = (4662.76893917996 + 5342.61116938624 + 5388.24130973952) / 3;
        Assert.Equal((float)Math.Log(1 + 101335040.0), row.Row[3]);
        Assert.Equal(Math.Log(1 + octets), row.Row[5], 5);
        Assert.Equal((float)((0 + 0.497512437810945 + 0) / 3), row.Row[0]);
    }

    [Fact]
    public void The_first_ticks_null_values_neither_fail_nor_select_a_feature()
    {
        var reader = new RecordReader(Collectd);
        bool? any = null;

        int records = reader.Read(Encoding.UTF8.GetBytes(Recorded[0]), (entity, _, record) =>
        {
            Assert.Equal("testhost", entity);
            any = record.Any;
        });

        Assert.Equal(1, records);
        Assert.False(any);
    }

    [Theory]
    [InlineData(8)] //  cpu idle: the schema has no idle feature.
    [InlineData(10)] // memory free
    [InlineData(13)] // if_packets: the net features match type if_octets.
    public void A_value_list_of_a_metric_the_schema_lacks_selects_no_feature(int index)
    {
        var reader = new RecordReader(Collectd);
        bool? any = null;

        reader.Read(Encoding.UTF8.GetBytes(Recorded[index]), (_, _, record) => any = record.Any);

        Assert.False(any);
    }
}
