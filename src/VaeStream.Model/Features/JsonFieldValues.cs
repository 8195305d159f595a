using System.Text;
using System.Text.Json;

namespace VaeStream.Model.Features;

// Turns the JSON value at the reader into a field's value: a feature's number, the entity key, the timestamp.
// A value of the wrong kind throws, with the field, its path and the value the operator will need.
internal static class JsonFieldValues
{
    // DateTimeOffset.MinValue and MaxValue in Unix milliseconds.
    public const long MinUnixMilliseconds = -62_135_596_800_000;
    public const long MaxUnixMilliseconds = 253_402_300_799_999;

    // Only a number writes the slot: a null leaves it as it is (NaN, unless a repeated key filled it), so that
    // the feature's missing-value policy decides.
    public static void ReadFeature(ref Utf8JsonReader reader, FeatureDefinition feature, ref float slot)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                slot = FeatureTransforms.Apply(feature, DecimalParser.TryParse(reader.ValueSpan, out double parsed) ? parsed : reader.GetDouble());
                break;
            case JsonTokenType.Null:
                break;
            case JsonTokenType.String:
                string text = reader.GetString() ?? string.Empty;
                bool looksNonFinite = text.Trim().ToUpperInvariant() is "NAN" or "INF" or "+INF" or "-INF" or "INFINITY" or "+INFINITY" or "-INFINITY";
                throw new FeatureExtractionException(
                    looksNonFinite ? FeatureErrorKind.NonFinite : FeatureErrorKind.WrongType, feature.Name, feature.Path,
                    $"\"{FeatureExtractionException.Clip(text)}\"",
                    looksNonFinite ? "NaN and infinite values are not allowed" : "expected a number, found a string");
            default:
                throw new FeatureExtractionException(FeatureErrorKind.WrongType, feature.Name, feature.Path, null,
                    $"expected a number, found {Describe(reader.TokenType)}");
        }
    }

    public static string? ReadEntityKey(ref Utf8JsonReader reader, string? path) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new FeatureExtractionException(FeatureErrorKind.WrongType, "entityKey", path, null,
            $"expected a string or number, found {Describe(reader.TokenType)}"),
    };

    public static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, string? path)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long millis))
        {
            // A number beyond year 9999 would throw ArgumentOutOfRangeException, which a training-data reader does
            // not expect from a bad line; it is a bad value like any other.
            return millis is >= MinUnixMilliseconds and <= MaxUnixMilliseconds
                ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
                : throw new FeatureExtractionException(FeatureErrorKind.OutOfDomain, "timestamp", path, millis.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "Unix milliseconds must lie between years 0001 and 9999");
        }

        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out DateTimeOffset timestamp))
        {
            return timestamp;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // A string is shown in quotes: "1793491860000" unquoted would look like the valid number it is not.
        string shown = reader.TokenType switch
        {
            JsonTokenType.String => $"\"{FeatureExtractionException.Clip(Encoding.UTF8.GetString(reader.ValueSpan))}\"",
            JsonTokenType.Number => FeatureExtractionException.Clip(Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => Describe(reader.TokenType),
        };
        string found = reader.TokenType == JsonTokenType.String ? "a string that is not ISO-8601" : Describe(reader.TokenType);
        throw new FeatureExtractionException(FeatureErrorKind.WrongType, "timestamp", path, shown,
            $"expected Unix milliseconds (a JSON number) or an ISO-8601 string, found {found}");
    }

    /// <summary>
    /// The error of an event read in full that still lacks a value it must have: a feature whose policy is Reject,
    /// or the entity key; null when it has them all. Both extraction paths ask this, so they agree on what is required.
    /// </summary>
    public static FeatureExtractionException? MissingRequired(FeatureSchema schema, ReadOnlySpan<float> values, string? entityKey)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]) && schema.Features[i].Missing == MissingValuePolicy.Reject)
            {
                FeatureDefinition feature = schema.Features[i];
                return new FeatureExtractionException(FeatureErrorKind.Missing, feature.Name, feature.Path, null,
                    "the value is missing and the feature's policy is Reject");
            }
        }

        return schema.EntityKeyPath is not null && entityKey is null
            ? new FeatureExtractionException(FeatureErrorKind.Missing, "entityKey", schema.EntityKeyPath, null, "the entity key is missing")
            : null;
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
