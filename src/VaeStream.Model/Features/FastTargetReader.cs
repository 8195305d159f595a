using System.Text.Json;

namespace VaeStream.Model.Features;

// FastFeatureWalk's values: what a trie node's targets make of the value at the scanner's position. The features
// go into the caller's values and the entity key and timestamp are kept for ExtractedFields, each read as the
// JsonFieldValues reader for that target reads it, or declined (false) where that reader would need the general
// parser or would report an error.
internal ref struct FastTargetReader
{
    // 18 digits always fit in a long; longer integers are left to the reader's TryGetInt64.
    private const int MaxMillisecondsDigits = 18;

    private readonly FeatureSchema schema;
    private readonly Span<float> values;

    public FastTargetReader(FeatureSchema schema, Span<float> values)
    {
        this.schema = schema;
        this.values = values;
    }

    public string? EntityKey { get; private set; }

    public DateTimeOffset? Timestamp { get; private set; }

    // The JsonFieldValues readers, for the token kinds they accept without an error; anything else gives up.
    public bool Read(ref JsonByteScanner scanner, PathNode node)
    {
        int start = scanner.Position;
        ReadOnlySpan<byte> token;
        JsonTokenType kind;
        if (scanner.At((byte)'"'))
        {
            kind = JsonTokenType.String;
            if (!scanner.ScanString(out token))
            {
                return false;
            }
        }
        else if (scanner.At((byte)'n'))
        {
            kind = JsonTokenType.Null;
            token = default;
            if (!scanner.ScanLiteral("null"u8))
            {
                return false;
            }
        }
        else
        {
            // Objects, arrays and booleans are wrong for every target; ScanNumber declines them.
            kind = JsonTokenType.Number;
            if (!scanner.ScanNumber(out token))
            {
                return false;
            }
        }

        foreach (int target in node.Targets)
        {
            bool read = target switch
            {
                PathTrie.EntityKeyTarget => ReadEntityKey(kind, token),
                PathTrie.TimestampTarget => ReadTimestamp(kind, token, scanner.Since(start)),
                _ => ReadFeature(kind, token, target),
            };
            if (!read)
            {
                return false;
            }
        }

        return true;
    }

    private readonly bool ReadFeature(JsonTokenType kind, ReadOnlySpan<byte> token, int target)
    {
        switch (kind)
        {
            case JsonTokenType.Number when DecimalParser.TryParse(token, out double parsed):
                values[target] = FeatureTransforms.Apply(schema.Features[target], parsed);
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                // A number DecimalParser declines needs the general parser, which the reader's path owns.
                return false;
        }
    }

    private bool ReadEntityKey(JsonTokenType kind, ReadOnlySpan<byte> token)
    {
        // Unescaped and valid UTF-8, so the string is what the reader's GetString makes of it.
        if (kind is JsonTokenType.String or JsonTokenType.Number)
        {
            EntityKey = EntityKeyCache.GetString(token);
            return true;
        }

        return false;
    }

    private bool ReadTimestamp(JsonTokenType kind, ReadOnlySpan<byte> token, ReadOnlySpan<byte> quoted)
    {
        switch (kind)
        {
            case JsonTokenType.Null:
                Timestamp = null;
                return true;
            case JsonTokenType.Number when TryParseMilliseconds(token, out long millis) && millis is >= JsonFieldValues.MinUnixMilliseconds and <= JsonFieldValues.MaxUnixMilliseconds:
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(millis);
                return true;
            case JsonTokenType.String:
                // The reader's ISO-8601 parser is not public; a reader over just this string token is the same
                // parser on the same bytes, at the cost of one small reader for the events that carry one.
                var reader = new Utf8JsonReader(quoted);
                if (reader.Read() && reader.TryGetDateTimeOffset(out DateTimeOffset timestamp))
                {
                    Timestamp = timestamp;
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    // A plain JSON integer of at most 18 digits, the values TryGetInt64 certainly reads; the rest is declined.
    private static bool TryParseMilliseconds(ReadOnlySpan<byte> token, out long millis)
    {
        millis = 0;
        bool negative = token.Length > 0 && token[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? token[1..] : token;
        if (digits.Length is 0 or > MaxMillisecondsDigits)
        {
            return false;
        }

        foreach (byte c in digits)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            millis = (millis * 10) + digit;
        }

        millis = negative ? -millis : millis;
        return true;
    }
}
