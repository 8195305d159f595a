using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// <see cref="FeatureSchema.Parse"/> refuses a schema the aggregation cannot run, with a message that starts with the
/// offending key, as the per-event checks do.
/// </summary>
public sealed class AggregatedSchemaValidationTests
{
    private const string Aggregation = "\"aggregation\":{\"interval\":\"10s\",\"allowedLateness\":\"2s\"}";

    [Theory]
    [InlineData(
        """{"entityKeyPath":"host","aggregation":{"interval":"10s"},"features":[{"name":"n","aggregate":"Count"}]}""",
        "timestampPath: an aggregated schema needs each event's time, because its intervals are of event time.")]
    [InlineData(
        """{"timestampPath":"ts",#,"features":[{"name":"v","path":"v"}]}""",
        "features[0].aggregate: an aggregated schema needs one of count, sum, mean, min, max, last, rate, percentile, distinct, ratio for 'v'.")]
    [InlineData(
        """{"timestampPath":"ts",#,"features":[{"name":"p99","aggregate":"Percentile","path":"latency"}]}""",
        "features[0].percentile: the percentile aggregate needs which one, for example 99.")]
    [InlineData(
        """{"timestampPath":"ts",#,"features":[{"name":"n","aggregate":"Count"},{"name":"r","aggregate":"Ratio","numerator":"errors","denominator":"n"}]}""",
        "features[1].numerator: 'errors' is not a non-ratio feature of this schema.")]
    [InlineData(
        """{"timestampPath":"ts","features":[{"name":"v","path":"v","aggregate":"Mean"}]}""",
        "features[0].aggregate: only an aggregated schema reads this key; add an 'aggregation' section with its interval, or remove the key.")]
    [InlineData(
        """{"timestampPath":"ts","timestampUnit":"Seconds","features":[{"name":"v","path":"v"}]}""",
        "timestampUnit: Seconds is read only in an aggregated schema (one with 'aggregation'); per-event schemas read Unix milliseconds or ISO-8601.")]
    [InlineData(
        """{"timestampPath":"ts","aggregation":{"interval":"5ms"},"features":[{"name":"n","aggregate":"Count"}]}""",
        "aggregation.interval: 5ms is out of range; allowed 100ms to 24h (for example \"10s\" or \"1m\").")]
    public void An_unusable_aggregated_schema_is_refused_naming_the_key(string json, string expected)
    {
        SchemaException error = Assert.Throws<SchemaException>(() => FeatureSchema.Parse(json.Replace("#", Aggregation, StringComparison.Ordinal)));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_duration_that_is_not_one_is_refused_naming_the_key_and_the_text()
    {
        SchemaException error = Assert.Throws<SchemaException>(() => FeatureSchema.Parse(
            """{"timestampPath":"ts","aggregation":{"interval":"ten"},"features":[{"name":"n","aggregate":"Count"}]}"""));

        Assert.Contains("aggregation.interval", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ten' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_number_is_refused_rather_than_read_as_a_number_of_days()
    {
        // TimeSpan's own format reads "1" as one day, which is in range: "interval": "1", meant as one second, would
        // silently make each row a day. The documented forms ("500ms", "10s", "1m", "1h", "hh:mm:ss") all carry a
        // unit or colons, and the converter's error message lists only those.
        SchemaException error = Assert.Throws<SchemaException>(() => FeatureSchema.Parse(
            """{"timestampPath":"ts","aggregation":{"interval":"1"},"features":[{"name":"n","aggregate":"Count"}]}"""));

        Assert.Contains("aggregation.interval", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData("00:00:30", 30_000)]
    public void Durations_read_as_milliseconds_seconds_minutes_or_hh_mm_ss(string text, int milliseconds)
    {
        FeatureSchema schema = FeatureSchema.Parse(
            $$"""{"timestampPath":"ts","aggregation":{"interval":"{{text}}","allowedLateness":"{{text}}"},"features":[{"name":"n","aggregate":"Count"}]}""");

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), schema.Aggregation!.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), schema.Aggregation.AllowedLateness);
    }
}
