using System.Runtime.InteropServices;
using System.Text.Json;
using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>The record reader's view of a parsed record: fields by path, their text, and how to name them in errors.</summary>
internal static class JsonElements
{
    /// <summary>The value at <paramref name="path"/>, or null when a step is absent or of the wrong kind.</summary>
    public static JsonElement? Find(JsonElement element, IReadOnlyList<PathSegment> path)
    {
        foreach (PathSegment segment in path)
        {
            if (segment.IsIndex)
            {
                if (element.ValueKind != JsonValueKind.Array || segment.Index >= element.GetArrayLength())
                {
                    return null;
                }

                element = element[segment.Index];
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment.Utf8Name, out element))
            {
                return null;
            }
        }

        return element;
    }

    /// <summary>A field's text for matching: a string's value, or the JSON text of a number or boolean.</summary>
    public static string Text(JsonElement field) => field.ValueKind == JsonValueKind.String ? field.GetString()! : field.GetRawText();

    /// <summary>
    /// <see cref="Text"/> == <paramref name="expected"/> without making the string: ValueEquals unescapes a string in
    /// place, and a number or boolean is its raw JSON text.
    /// </summary>
    public static bool TextEquals(JsonElement field, byte[] expected) => field.ValueKind == JsonValueKind.String
        ? field.ValueEquals(expected)
        : field.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False && JsonMarshal.GetRawUtf8Value(field).SequenceEqual(expected);

    /// <summary>A string field's value, made once per entity rather than per record when it has no escapes (EntityKeyCache).</summary>
    public static string EntityKey(JsonElement field)
    {
        ReadOnlySpan<byte> inner = JsonMarshal.GetRawUtf8Value(field)[1..^1];
        return inner.IndexOf((byte)'\\') < 0 ? EntityKeyCache.GetString(inner) : field.GetString()!;
    }

    /// <summary>The field's JSON text, cut for an error message.</summary>
    public static string Clip(JsonElement field) => FeatureExtractionException.Clip(field.GetRawText());

    /// <summary>The kind of value found, in the words the per-event path's errors use (<see cref="JsonFieldValues.Describe"/>).</summary>
    public static string Describe(JsonValueKind kind) => JsonFieldValues.Describe(kind switch
    {
        JsonValueKind.Object => JsonTokenType.StartObject,
        JsonValueKind.Array => JsonTokenType.StartArray,
        JsonValueKind.String => JsonTokenType.String,
        JsonValueKind.Number => JsonTokenType.Number,
        JsonValueKind.True => JsonTokenType.True,
        JsonValueKind.False => JsonTokenType.False,
        _ => JsonTokenType.Null,
    });
}
