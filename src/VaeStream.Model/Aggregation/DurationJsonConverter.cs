using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Reads a duration as <c>"500ms"</c>, <c>"10s"</c>, <c>"1m"</c>, <c>"1h"</c> or <c>"hh:mm:ss"</c>, and writes the short form.
/// </summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc/>
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new JsonException($"expected a duration such as \"10s\" or \"1m\", found {reader.TokenType}");
        return Parse(text) ?? throw new JsonException($"'{text}' is not a duration; write it as \"500ms\", \"10s\", \"1m\", \"1h\" or \"hh:mm:ss\"");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));

    /// <summary>The duration in <paramref name="text"/>, or null when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        (string suffix, double unitMs)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach ((string suffix, double unitMs) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount)
                && double.IsFinite(amount))
            {
                return TimeSpan.FromMilliseconds(amount * unitMs);
            }
        }

        // Only the clock form: TimeSpan would read a bare "1" as a day.
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span) ? span : null;
    }

    /// <summary>The shortest exact form: <c>10s</c>, <c>1m</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan value) => value.Ticks switch
    {
        var t when t % TimeSpan.TicksPerHour == 0 && t != 0 => $"{t / TimeSpan.TicksPerHour}h",
        var t when t % TimeSpan.TicksPerMinute == 0 && t != 0 => $"{t / TimeSpan.TicksPerMinute}m",
        var t when t % TimeSpan.TicksPerSecond == 0 => $"{t / TimeSpan.TicksPerSecond}s",
        _ => $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
    };
}

/// <summary><see cref="DurationJsonConverter"/> for an optional duration.</summary>
public sealed class NullableDurationJsonConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationJsonConverter Inner = new();

    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } span)
        {
            Inner.Write(writer, span, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
