using System.Text;
using System.Text.Json;

namespace VaeStream.Model.Features;

/// <summary>
/// Reads a schema's features from a UTF-8 JSON event in one forward pass with <see cref="Utf8JsonReader"/>.
/// The schema's paths are compiled into a trie, so property names are compared as bytes and untouched
/// subtrees are skipped; no string is made per field. Thread-safe: it holds no per-event state.
/// </summary>
public sealed class JsonFeatureExtractor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip };

    private readonly FeatureSchema schema;
    private readonly PathNode root;

    /// <summary>Compiles the schema's paths.</summary>
    public JsonFeatureExtractor(FeatureSchema schema)
    {
        this.schema = schema.Validate();
        root = PathTrie.Compile(schema);
    }

    /// <summary>
    /// Fills <paramref name="values"/> (one slot per feature, transformed) from the event. A missing value whose
    /// policy allows it is left as NaN for the imputer; anything else wrong throws <see cref="FeatureExtractionException"/>.
    /// </summary>
    public ExtractedFields Extract(ReadOnlySpan<byte> json, Span<float> values)
    {
        if (values.Length != schema.FeatureCount)
        {
            throw new ArgumentException($"values has {values.Length} slots; the schema has {schema.FeatureCount} features.", nameof(values));
        }

        values.Fill(float.NaN);
        var state = new WalkState();
        try
        {
            if (json.Trim(" \t\r\n"u8).IsEmpty)
            {
                throw Malformed("the payload is empty");
            }

            var reader = new Utf8JsonReader(json, ReaderOptions);
            reader.Read();

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed($"expected a JSON object, found {Describe(reader.TokenType)}");
            }

            Walk(ref reader, root, values, ref state);
            if (reader.Read())
            {
                throw Malformed($"unexpected data after the end of the object at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException e)
        {
            throw Malformed($"malformed JSON at byte {e.BytePositionInLine}: {e.Message}");
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException || !System.Text.Unicode.Utf8.IsValid(json))
        {
            // The reader does not check the UTF-8 of a string until it is decoded; say where the bad bytes are.
            throw Malformed($"invalid UTF-8 at byte {FirstInvalidUtf8(json)}");
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]) && schema.Features[i].Missing == MissingValuePolicy.Reject)
            {
                FeatureDefinition feature = schema.Features[i];
                throw new FeatureExtractionException(FeatureErrorKind.Missing, feature.Name, feature.Path, null,
                    "the value is missing and the feature's policy is Reject");
            }
        }

        if (schema.EntityKeyPath is not null && state.EntityKey is null)
        {
            throw new FeatureExtractionException(FeatureErrorKind.Missing, "entityKey", schema.EntityKeyPath, null, "the entity key is missing");
        }

        return new ExtractedFields(state.EntityKey, state.Timestamp);
    }

    private void Walk(ref Utf8JsonReader reader, PathNode node, Span<float> values, ref WalkState state)
    {
        foreach (int target in node.Targets)
        {
            ReadTarget(ref reader, target, values, ref state);
        }

        if (reader.TokenType == JsonTokenType.StartObject && node.Properties.Count > 0)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                PathNode? child = node.FindProperty(ref reader);
                reader.Read();
                if (child is null)
                {
                    reader.Skip();
                }
                else
                {
                    Walk(ref reader, child, values, ref state);
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray && node.Elements.Count > 0)
        {
            int index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (node.Elements.TryGetValue(index++, out PathNode? child))
                {
                    Walk(ref reader, child, values, ref state);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }
    }

    private void ReadTarget(ref Utf8JsonReader reader, int target, Span<float> values, ref WalkState state)
    {
        if (target == PathTrie.EntityKeyTarget)
        {
            state.EntityKey = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw new FeatureExtractionException(FeatureErrorKind.WrongType, "entityKey", schema.EntityKeyPath, null,
                    $"expected a string or number, found {Describe(reader.TokenType)}"),
            };
            return;
        }

        if (target == PathTrie.TimestampTarget)
        {
            state.Timestamp = ReadTimestamp(ref reader);
            return;
        }

        FeatureDefinition feature = schema.Features[target];
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                values[target] = FeatureTransforms.Apply(feature, DecimalParser.TryParse(reader.ValueSpan, out double parsed) ? parsed : reader.GetDouble());
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

    private DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long millis))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(millis);
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
        throw new FeatureExtractionException(FeatureErrorKind.WrongType, "timestamp", schema.TimestampPath, shown,
            $"expected Unix milliseconds (a JSON number) or an ISO-8601 string, found {found}");
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private static FeatureExtractionException Malformed(string reason) =>
        new(FeatureErrorKind.MalformedJson, null, null, null, reason);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private struct WalkState
    {
        public string? EntityKey;
        public DateTimeOffset? Timestamp;
    }
}
