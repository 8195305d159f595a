using System.Buffers;
using System.Text;
using System.Text.Json;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;
using VaeStream.Worker.Aggregation;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Writes the anomaly message (documented in the README): source coordinates, entity, score, threshold, model
/// version, the top feature contributions with value, expected value and share, and the original event verbatim.
/// </summary>
internal sealed class AnomalyMessageWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    /// <summary>
    /// Serializes one anomaly. <paramref name="eventTime"/> is the schema's timestamp field, when it has one;
    /// <paramref name="leading"/> are the features that drove the score (<see cref="FeatureContributions.Leading"/>).
    /// </summary>
    public byte[] Write(InputEvent source, string? entity, DateTimeOffset? eventTime, AnomalyDetector detector, float score,
        IReadOnlyList<FeatureContribution> leading)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteKey(json, source.Key);
            WriteSource(json, source);
            if (entity is null)
            {
                json.WriteNull("entity");
            }
            else
            {
                json.WriteString("entity", entity);
            }

            if (eventTime is { } time)
            {
                json.WriteString("eventTime", time.UtcDateTime);
            }

            double threshold = detector.Threshold.Value;
            json.WriteNumber("score", score);
            json.WriteNumber("threshold", (float)threshold);
            // How far above the threshold, for sorting and routing pages: 1 is at the threshold.
            json.WriteNumber("severity", Math.Round(score / threshold, 3));
            json.WriteNumber("modelVersion", detector.Metadata.Version);
            json.WriteString("modelId", detector.Id);
            WriteContributions(json, leading);
            json.WritePropertyName("event");
            json.WriteRawValue(source.Value, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The <c>source</c> object every output message carries: where its input record came from, or, for an aggregated
    /// schema's row, its interval and the offsets of the records it holds.
    /// </summary>
    public static void WriteSource(Utf8JsonWriter json, InputEvent source)
    {
        if (source is IntervalInput interval)
        {
            interval.WriteSource(json);
            return;
        }

        json.WriteStartObject("source");
        json.WriteString("topic", source.Topic);
        json.WriteNumber("partition", source.Partition);
        json.WriteNumber("offset", source.Offset);
        json.WriteString("timestamp", source.Timestamp.UtcDateTime);
        json.WriteEndObject();
    }

    private static void WriteContributions(Utf8JsonWriter json, IReadOnlyList<FeatureContribution> leading)
    {
        json.WriteStartArray("contributions");
        foreach (FeatureContribution c in leading)
        {
            json.WriteStartObject();
            json.WriteString("feature", c.Feature);
            json.WriteNumber("value", c.Value);
            json.WriteNumber("expected", c.Expected);
            json.WriteNumber("share", c.Share);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteKey(Utf8JsonWriter json, byte[]? key)
    {
        if (key is null)
        {
            json.WriteNull("key");
            return;
        }

        try
        {
            json.WriteString("key", new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(key));
        }
        catch (DecoderFallbackException)
        {
            json.WriteNull("key");
            json.WriteBase64String("keyBase64", key);
        }
    }
}
