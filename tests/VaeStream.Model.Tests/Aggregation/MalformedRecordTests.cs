using System.Text;
using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// A message an aggregated schema cannot read throws a <see cref="FeatureExtractionException"/> whose message names
/// the field and its path, so that the dead-letter record says what to fix; collectd's null first-tick values are not
/// malformed.
/// </summary>
public sealed class MalformedRecordTests
{
    private static readonly FeatureSchema Collectd = ShippedSchemas.Load("collectd.json");

    private static FeatureExtractionException Rejects(string message) =>
        Assert.Throws<FeatureExtractionException>(() => new RecordReader(Collectd).Read(Encoding.UTF8.GetBytes(message), (_, _, _) => { }));

    [Fact]
    public void Invalid_json_is_malformed()
    {
        FeatureExtractionException error = Rejects("""[{"values":[0.5],"time":1796418378.308,""");

        Assert.Equal(FeatureErrorKind.MalformedJson, error.Kind);
        Assert.StartsWith("event: the payload is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_where_a_number_belongs_names_the_feature_and_path_and_quotes_the_value()
    {
        FeatureExtractionException error = Rejects("""
            [{"values":["0.5"],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]
            """);

        Assert.Equal(FeatureErrorKind.WrongType, error.Kind);
        Assert.Equal("feature 'cpu_user' at path 'values[0]': expected a number, found a string (value: \"0.5\")", error.Message);
    }

    [Fact]
    public void A_missing_timestamp_names_the_timestamp_path()
    {
        FeatureExtractionException error = Rejects("""
            [{"values":[0.5],"dstypes":["gauge"],"dsnames":["value"],"interval":1.000,"host":"testhost","plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]
            """);

        Assert.Equal(FeatureErrorKind.Missing, error.Kind);
        Assert.Equal("feature 'timestamp' at path 'time': an aggregated schema needs each event's time, and this event has none", error.Message);
    }

    [Fact]
    public void A_missing_entity_key_names_the_entity_key_path()
    {
        FeatureExtractionException error = Rejects("""
            [{"values":[0.5],"dstypes":["gauge"],"dsnames":["value"],"time":1796418378.308,"interval":1.000,"plugin":"cpu","plugin_instance":"","type":"percent","type_instance":"user"}]
            """);

        Assert.Equal(FeatureErrorKind.Missing, error.Kind);
        Assert.Equal("feature 'entityKey' at path 'host': the entity key is missing", error.Message);
    }

    [Fact]
    public void A_null_collectd_value_is_read_without_error()
    {
        int records = new RecordReader(Collectd).Read(Encoding.UTF8.GetBytes("""
            [{"values":[null,null],"dstypes":["derive","derive"],"dsnames":["rx","tx"],"time":1796418375.312,"interval":1.000,"host":"testhost","plugin":"interface","plugin_instance":"lo","type":"if_octets","type_instance":""}]
            """), (_, _, _) => { });

        Assert.Equal(1, records);
    }
}
