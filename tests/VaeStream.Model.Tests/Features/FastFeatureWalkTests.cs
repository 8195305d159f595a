using System.Text;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

public sealed class FastFeatureWalkTests
{
    private static readonly FeatureSchema Schema = ExtractorSchemas.Ops;

    private const string Valid = """{"host":"h1","ts":1700000000000,"cpu":0.5,"latency_ms":{"p50":3,"p99":9},"disks":[{"util":0.1},{"util":0.75}],"mem":42,"errors":3}""";

    private readonly ExtractorComparison comparison = new(Schema);

    /// <summary>Events in the fast path's subset, each with something a careless byte walk would get wrong.</summary>
    public static TheoryData<string> FastEvents => new(
        Valid,
        " \r\n\t" + Valid.Replace(",", " ,\n\t", StringComparison.Ordinal).Replace(":", " : ", StringComparison.Ordinal) + " \n",
        """{"noise":{"deep":[1,{"x":[true,false,null,"s",-0.5e-3,{}]}],"cpu":7},"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[[],{"util":0}]}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"mem":null,"ts":null}""",
        """{"host":"h","cpu":1,"cpu":2,"mem":3,"mem":null,"latency_ms":{"p99":1},"latency_ms":{"p50":1},"disks":[0,{"util":1,"util":2}]}""",
        """{"host":17,"cpu":-0,"latency_ms":{"p99":1e3},"disks":[{"util":1.5E-7},{"util":2.5e+10}],"mem":-12.75,"errors":0.0000001234}""",
        """{"host":"héllo ✓ 𝄞","ts":"2026-01-02T03:04:05+02:00","cpu":50.61,"latency_ms":{"p99":0.3},"disks":[{"util":"skipped~"},{"util":9007199254740992}]}""",
        """{"host":"h","ts":-62135596800000,"cpu":1,"latency_ms":{"p99":-0.5},"disks":[{},{"util":0}],"latency_msx":{"p99":"x"},"c":1,"cpux":"y"}""",
        """{"host":"h","ts":253402300799999,"cpu":1,"latency_ms":{"p99":1},"disks":[{},{"util":0}],"x":""" + new string('[', 30) + "1" + new string(']', 30) + "}");

    /// <summary>
    /// Events outside the subset or with a bad value: the fast path declines them and the reader reads them, to a
    /// row or to the error it has always given.
    /// </summary>
    public static TheoryData<string> DeclinedEvents => new(
        // The reader accepts these, with the same values: escapes, comments, a deep subtree, a long number.
        """{"host":"h","c\u0070u":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h\u0031","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"skip":"a\"b"}""",
        "/* lead */ {\"host\":\"h\", // note\n\"cpu\":1,\"latency_ms\":{\"p99\":0},\"disks\":[{},{\"util\":0}]} // trail",
        """{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"deep":""" + new string('[', 40) + new string(']', 40) + "}",
        """{"host":"h","cpu":12345678901234567890123,"latency_ms":{"p99":1e-30},"disks":[{},{"util":0.000000000000000000001234}],"ts":1e3}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"skip":"tab""" + "\t" + """inside"}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}],"skip":"del""" + "\u007F" + "\"}",
        """{"host":"h","ts":1234567890123456789,"cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","ts":"2026-13-45","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        // Bad values, each the reader's error.
        """{"host":"h","cpu":"high","latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":"1","latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":"NaN","latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":" -Infinity ","latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":1e400,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":1e39,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":{"a":1},"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":[1],"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":true,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":-3},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":-1},"disks":[{},{"util":0}]}""",
        """{"host":"h","cpu":1,"latency_ms":{"p99":0},"disks":[{"util":0}]}""",
        """{"host":"h","cpu":null,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":null,"cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":true,"cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""",
        """{"host":"h","ts":"1793491860000","cpu":1}""",
        """{"host":"h","ts":99999999999999999,"cpu":1}""",
        """{"host":"h","ts":1.5,"cpu":1}""",
        """{"host":"h","ts":{},"cpu":1}""",
        // Malformed JSON, each the reader's error.
        "",
        " \n ",
        "[1,2]",
        "\"x\"",
        "\u0001\u0002garbage",
        """{"host":"h","cpu":1""",
        """{"host":"h","cpu":1,}""",
        """{"host":"h","cpu":1}x""",
        """{"host":"h","cpu":1} {}""",
        """{"host":"h","cpu":01}""",
        """{"host":"h","cpu":1.}""",
        """{"host":"h","cpu":.5}""",
        """{"host":"h","cpu":+1}""",
        """{"host":"h","cpu":1e}""",
        """{"host":"h","cpu":-}""",
        """{"host":"h","cpu":NaN}""",
        """{"host":"h","cpu":tru}""",
        """{"host":"h","cpu":1x}""",
        """{"host":"h" "cpu":1}""",
        """{"host":"h","cpu"1}""",
        """{host:"h"}""",
        """{"host":"h","bad":"\q"}""",
        """{"host":"h","junk":""" + new string('[', 100) + new string(']', 100) + "}",
        string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200));

    [Theory]
    [MemberData(nameof(FastEvents))]
    public void Reads_plain_events_on_the_fast_path_with_the_readers_values_and_fields(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        float[] values = new float[Schema.FeatureCount];

        Assert.True(comparison.Extractor.TryExtractFast(payload, values, out _));
        Assert.Null(comparison.Reader(payload).Error);
        Assert.Null(comparison.Difference(payload));
    }

    [Theory]
    [MemberData(nameof(DeclinedEvents))]
    public void Leaves_every_other_event_to_the_reader_which_gives_its_own_values_or_error(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        float[] values = new float[Schema.FeatureCount];

        Assert.False(comparison.Extractor.TryExtractFast(payload, values, out _));
        Assert.Null(comparison.Difference(payload));
    }

    [Fact]
    public void Leaves_invalid_utf8_and_a_byte_order_mark_to_the_reader()
    {
        float[] values = new float[Schema.FeatureCount];
        byte[] rest = Encoding.UTF8.GetBytes(""","cpu":1,"latency_ms":{"p99":0},"disks":[{},{"util":0}]}""");
        byte[][] payloads =
        [
            // In the entity key the reader decodes it and reports the offset; in a skipped string it never looks.
            [.. "{\"host\":\"h"u8, 0xC3, 0x28, .. "\""u8, .. rest],
            [.. "{\"host\":\"h\",\"skip\":\""u8, 0xFF, 0xFE, .. "\""u8, .. rest],
            [.. "{\"host\":\"h\",\"sk"u8, 0xC3, .. "ip\":1"u8, .. rest],
            [0xEF, 0xBB, 0xBF, .. "{\"host\":\"h\""u8, .. rest],
        ];

        Assert.All(payloads, payload =>
        {
            Assert.False(comparison.Extractor.TryExtractFast(payload, values, out _));
            Assert.Null(comparison.Difference(payload));
        });
        Assert.Equal("event: invalid UTF-8 at byte 10", comparison.Extract(payloads[0]).Error?.Message);
    }

    [Fact]
    public void Reads_the_same_row_into_a_buffer_that_holds_an_earlier_events_values()
    {
        byte[] first = Encoding.UTF8.GetBytes(Valid);
        byte[] second = Encoding.UTF8.GetBytes("""{"host":"h2","cpu":2,"latency_ms":{"p99":1},"disks":[{},{"util":0}]}""");
        float[] values = new float[Schema.FeatureCount];

        comparison.Extractor.Extract(first, values);
        Assert.True(comparison.Extractor.TryExtractFast(second, values, out ExtractedFields fields));

        Assert.True(float.IsNaN(values[3]) && float.IsNaN(values[4]));
        Assert.Equal(new ExtractedFields("h2", null), fields);
    }
}
