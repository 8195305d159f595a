using System.Globalization;
using System.Text;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

public sealed class DecimalParserTests
{
    private static bool TryParse(string text, out double value) => DecimalParser.TryParse(Encoding.ASCII.GetBytes(text), out value);

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("42")]
    [InlineData("50.61")]
    [InlineData("0.5173")]
    [InlineData("-12.75")]
    [InlineData("1793491200000")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("1e3")]
    [InlineData("1.5E-7")]
    [InlineData("2.5e+10")]
    [InlineData("9007199254740992")]
    [InlineData("0.00000000000000001234")]
    public void Gives_the_same_double_as_the_general_parser(string text)
    {
        Assert.True(TryParse(text, out double value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("9007199254740993")] // 2^53 + 1: not exact as a double
    [InlineData("12345678901234567890123")] // more digits than a 64-bit mantissa holds
    [InlineData("1e23")] // 10^23 is not exact as a double
    [InlineData("0.000000000000000000001234")] // 1234e-24: the exponent is out of the exact range
    [InlineData("1e-400")]
    [InlineData("1e400")]
    [InlineData("1.0e1000")]
    public void Declines_what_needs_the_general_parser(string text) => Assert.False(TryParse(text, out _));

    [Fact]
    public void Agrees_with_the_general_parser_on_a_million_random_telemetry_numbers()
    {
        var random = new Random(11);
        int parsed = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            double source = (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 12));
            string text = (i % 3) switch
            {
                0 => Math.Round(source, random.Next(0, 6)).ToString("R", CultureInfo.InvariantCulture),
                1 => source.ToString($"E{random.Next(1, 12)}", CultureInfo.InvariantCulture),
                _ => source.ToString("R", CultureInfo.InvariantCulture),
            };
            if (TryParse(text, out double value))
            {
                parsed++;
                Assert.True(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value),
                    $"'{text}': fast path {value:R}, general parser {double.Parse(text, CultureInfo.InvariantCulture):R}");
            }
        }

        // Round-tripped doubles often need 17 digits and are declined; the short telemetry forms must not be.
        Assert.True(parsed > 600_000, $"only {parsed:N0} of 1,000,000 took the fast path");
    }
}
