namespace VaeStream.Model.Features;

/// <summary>
/// Parses the JSON numbers that telemetry is made of (a few significant digits, a small exponent) without the
/// general-purpose parser, which costs about 130 ns a number on the 2-core reference machine: a third of the
/// worker's time per event. Uses Clinger's fast path, so every value it returns is the correctly rounded double,
/// bit for bit what <see cref="double.Parse(string)"/> gives; anything outside the fast path is declined.
/// </summary>
internal static class DecimalParser
{
    // 2^53: every integer up to it is exact as a double.
    private const ulong MaxExactMantissa = 1UL << 53;
    private const int MaxMantissaDigits = 19;
    private const int MaxExactPowerOfTen = 22;

    // 10^0 … 10^22, the powers of ten a double holds exactly.
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses a JSON number token (already validated by the reader) when the mantissa fits in 53 bits and the
    /// decimal exponent in ±22; then one exact multiplication or division gives the correctly rounded result.
    /// Returns false, and the caller falls back to the general parser, for anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> number, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = number.Length > 0 && number[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        ulong mantissa = 0;
        int significantDigits = 0;
        int exponent = 0;
        bool fraction = false;
        for (; i < number.Length; i++)
        {
            byte c = number[i];
            if (c == (byte)'.')
            {
                fraction = true;
                continue;
            }

            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                break;
            }

            if (mantissa != 0 || digit != 0)
            {
                if (++significantDigits > MaxMantissaDigits)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
            }

            if (fraction)
            {
                exponent--;
            }
        }

        if (i < number.Length)
        {
            // The reader has checked the grammar, so what is left is e|E, an optional sign and digits.
            if (!TryParseExponent(number[(i + 1)..], out int written))
            {
                return false;
            }

            exponent += written;
        }

        if (mantissa > MaxExactMantissa || exponent is < -MaxExactPowerOfTen or > MaxExactPowerOfTen)
        {
            return false;
        }

        double magnitude = exponent < 0 ? mantissa / PowersOfTen[-exponent] : mantissa * PowersOfTen[exponent];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool TryParseExponent(ReadOnlySpan<byte> text, out int exponent)
    {
        exponent = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        int start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (text.Length - start is < 1 or > 3)
        {
            return false;
        }

        for (int i = start; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            exponent = (exponent * 10) + (int)digit;
        }

        exponent = negative ? -exponent : exponent;
        return true;
    }
}
