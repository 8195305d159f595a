using System.Text;
using System.Text.Json;

namespace VaeStream.Model.Features;

/// <summary>
/// Reads a schema's features from a UTF-8 JSON event in one forward pass. The schema's paths are compiled into a
/// trie, so property names are compared as bytes and untouched subtrees are skipped; no string is made per field.
/// A pass over the raw bytes reads the plain JSON telemetry is made of; any other event, and every bad one, is
/// read again with <see cref="Utf8JsonReader"/>, which reports the error. Thread-safe: it holds no per-event state.
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

        return TryExtractFast(json, values, out ExtractedFields fields) ? fields : ExtractWithReader(json, values);
    }

    // The fast path alone: false when the event is outside its subset or has any error.
    internal bool TryExtractFast(ReadOnlySpan<byte> json, Span<float> values, out ExtractedFields fields)
    {
        values.Fill(float.NaN);
        return FastFeatureWalk.TryExtract(json, schema, root, values, out fields);
    }

    // The reader's path alone: every event the fast path declines, and the reference it is checked against.
    internal ExtractedFields ExtractWithReader(ReadOnlySpan<byte> json, Span<float> values)
    {
        values.Fill(float.NaN);
        var walk = new FeatureWalk(schema, values);
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
                throw Malformed($"expected a JSON object, found {JsonFieldValues.Describe(reader.TokenType)}");
            }

            walk.Walk(ref reader, root);
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

        if (JsonFieldValues.MissingRequired(schema, values, walk.EntityKey) is { } missing)
        {
            throw missing;
        }

        return new ExtractedFields(walk.EntityKey, walk.Timestamp);
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
}
