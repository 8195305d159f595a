using System.Text;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

public sealed class JsonFeatureExtractorTests
{
    private static readonly FeatureSchema OpsSchema = ExtractorSchemas.Ops;

    private static (float[] Values, ExtractedFields Fields) Extract(string json, FeatureSchema? schema = null)
    {
        schema ??= OpsSchema;
        float[] values = new float[schema.FeatureCount];
        ExtractedFields fields = new JsonFeatureExtractor(schema).Extract(Encoding.UTF8.GetBytes(json), values);
        return (values, fields);
    }

    private static FeatureExtractionException Rejects(string json) =>
        Assert.Throws<FeatureExtractionException>(() => Extract(json));

    [Fact]
    public void Reads_nested_paths_and_array_elements_and_skips_the_rest()
    {
        (float[] values, ExtractedFields fields) = Extract("""
            {"host":"h1","ts":1700000000000,"noise":{"deep":[1,{"x":2}]},"cpu":0.5,
             "latency_ms":{"p50":3,"p99":9},"disks":[{"util":0.1},{"util":0.75}],"mem":42,"errors":3}
            """);

        Assert.Equal([0.5f, (float)Math.Log(10), 0.75f, 42f, 3f], values);
        Assert.Equal("h1", fields.EntityKey);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), fields.Timestamp);
    }

    [Fact]
    public void Leaves_allowed_missing_values_as_NaN_for_the_imputer()
    {
        (float[] values, _) = Extract("""{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"mem":null}""");

        Assert.True(float.IsNaN(values[3]));
        Assert.True(float.IsNaN(values[4]));
    }

    [Fact]
    public void Rejects_a_missing_required_feature_naming_field_and_path()
    {
        FeatureExtractionException error = Rejects("""{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{"util":0}]}""");

        Assert.Equal(FeatureErrorKind.Missing, error.Kind);
        Assert.Equal("feature 'disk1' at path 'disks[1].util': the value is missing and the feature's policy is Reject", error.Message);
    }

    [Fact]
    public void Rejects_a_string_where_a_number_belongs_quoting_the_value()
    {
        FeatureExtractionException error = Rejects("""{"host":"h","cpu":"high","latency_ms":{"p99":0},"disks":[{},{"util":0}]}""");

        Assert.Equal(FeatureErrorKind.WrongType, error.Kind);
        Assert.Equal("cpu", error.Field);
        Assert.Equal("feature 'cpu' at path 'cpu': expected a number, found a string (value: \"high\")", error.Message);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-inf\"")]
    public void Rejects_NaN_and_infinity_strings_as_non_finite(string value)
    {
        FeatureExtractionException error = Rejects($$"""{"host":"h","cpu":{{value}},"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""");

        Assert.Equal(FeatureErrorKind.NonFinite, error.Kind);
        Assert.Equal($"feature 'cpu' at path 'cpu': NaN and infinite values are not allowed (value: {value})", error.Message);
    }

    [Fact]
    public void Rejects_a_number_that_overflows_to_infinity()
    {
        FeatureExtractionException error = Rejects("""{"host":"h","cpu":1e400,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""");

        Assert.Equal(FeatureErrorKind.NonFinite, error.Kind);
        Assert.Equal("cpu", error.Field);
    }

    [Fact]
    public void Rejects_an_object_where_a_number_belongs()
    {
        FeatureExtractionException error = Rejects("""{"host":"h","cpu":{"a":1},"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""");

        Assert.Equal("feature 'cpu' at path 'cpu': expected a number, found an object", error.Message);
    }

    [Fact]
    public void Rejects_a_value_outside_the_transform_domain()
    {
        FeatureExtractionException error = Rejects("""{"host":"h","cpu":1,"latency_ms":{"p99":-3},"disks":[{},{"util":0}]}""");

        Assert.Equal(FeatureErrorKind.OutOfDomain, error.Kind);
        Assert.Equal("feature 'p99' at path 'latency_ms.p99': log1p needs a value greater than -1 (value: -3)", error.Message);
    }

    [Theory]
    [InlineData("{\"host\":\"h\",\"cpu\":1", "malformed JSON")]
    [InlineData("[1,2]", "expected a JSON object, found an array")]
    [InlineData("", "the payload is empty")]
    [InlineData("\u0001\u0002garbage", "malformed JSON")]
    public void Rejects_malformed_payloads(string json, string expected)
    {
        FeatureExtractionException error = Rejects(json);

        Assert.Equal(FeatureErrorKind.MalformedJson, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_nesting_deeper_than_64_levels()
    {
        string deep = new string('[', 100) + new string(']', 100);

        FeatureExtractionException error = Rejects($$"""{"host":"h","junk":{{deep}}}""");

        Assert.Equal(FeatureErrorKind.MalformedJson, error.Kind);
    }

    [Fact]
    public void Reads_a_numeric_entity_key_and_an_ISO_timestamp()
    {
        FeatureSchema schema = FeatureSchema.Parse("""{"entityKeyPath":"id","timestampPath":"at","features":[{"name":"x","path":"x"}]}""");

        (_, ExtractedFields fields) = Extract("""{"id":17,"at":"2026-01-02T03:04:05Z","x":1}""", schema);

        Assert.Equal("17", fields.EntityKey);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), fields.Timestamp);
    }

    [Fact]
    public void Invalid_utf8_is_malformed_json_with_the_byte_offset()
    {
        byte[] payload = [.. Encoding.UTF8.GetBytes("""{"host":"h"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(""" 1","cpu":1}""")];
        float[] values = new float[OpsSchema.FeatureCount];

        var e = Assert.Throws<FeatureExtractionException>(() => new JsonFeatureExtractor(OpsSchema).Extract(payload, values));

        Assert.Equal(FeatureErrorKind.MalformedJson, e.Kind);
        Assert.Equal("event: invalid UTF-8 at byte 10", e.Message);
    }

    [Fact]
    public void A_numeric_string_timestamp_is_shown_in_quotes_so_it_does_not_look_valid()
    {
        FeatureExtractionException e = Rejects("""{"host":"h1","ts":"1793491860000","cpu":1}""");

        Assert.Equal(FeatureErrorKind.WrongType, e.Kind);
        Assert.Equal("feature 'timestamp' at path 'ts': expected Unix milliseconds (a JSON number) or an ISO-8601 string, " +
            "found a string that is not ISO-8601 (value: \"1793491860000\")", e.Message);
    }

    [Fact]
    public void A_numeric_timestamp_beyond_year_9999_is_a_bad_value_not_a_crash()
    {
        FeatureExtractionException e = Rejects("""{"host":"h1","ts":99999999999999999,"cpu":1}""");

        Assert.Equal(FeatureErrorKind.OutOfDomain, e.Kind);
        Assert.Equal("feature 'timestamp' at path 'ts': Unix milliseconds must lie between years 0001 and 9999 (value: 99999999999999999)", e.Message);
    }
}
