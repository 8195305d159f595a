using System.Buffers;
using System.Text;
using System.Text.Json;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Writes the anomaly message (documented in the README): source coordinates, entity, score, threshold, model
/// version, the top feature contributions with value, expected value and share, and the original event verbatim.
/// </summary>
public sealed class AnomalyMessageWriter(int topContributions)
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    /// <summary>
    /// Serializes one anomaly. <paramref name="row"/> is the imputed feature row in event units; <paramref name="eventTime"/>
    /// is the schema's timestamp field, when it has one.
    /// </summary>
    public byte[] Write(InputEvent source, string? entity, DateTimeOffset? eventTime, AnomalyDetector detector, float score, ReadOnlySpan<float> row,
        ReadOnlySpan<float> contributions, ReadOnlySpan<float> expected)
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
            WriteContributions(json, detector, score, row, contributions, expected);
            json.WritePropertyName("event");
            json.WriteRawValue(source.Value, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>source</c> object every output message carries: where its input record came from.</summary>
    public static void WriteSource(Utf8JsonWriter json, InputEvent source)
    {
        json.WriteStartObject("source");
        json.WriteString("topic", source.Topic);
        json.WriteNumber("partition", source.Partition);
        json.WriteNumber("offset", source.Offset);
        json.WriteString("timestamp", source.Timestamp.UtcDateTime);
        json.WriteEndObject();
    }

    private void WriteContributions(Utf8JsonWriter json, AnomalyDetector detector, float score, ReadOnlySpan<float> row,
        ReadOnlySpan<float> contributions, ReadOnlySpan<float> expected)
    {
        int[] order = TopIndices(contributions, topContributions);
        json.WriteStartArray("contributions");
        foreach (int f in order)
        {
            json.WriteStartObject();
            json.WriteString("feature", detector.Schema.Features[f].Name);
            // Written at the model's float precision: as doubles, 33.37 read from the event came out as 33.369998931884766.
            json.WriteNumber("value", (float)detector.ValueInEventUnits(f, row[f]));
            json.WriteNumber("expected", (float)detector.ExpectedInEventUnits(f, expected[f]));
            json.WriteNumber("share", score > 0 ? contributions[f] / score : 0f);
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

    internal static int[] TopIndices(ReadOnlySpan<float> values, int count)
    {
        int[] order = new int[values.Length];
        float[] keys = values.ToArray();
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        Array.Reverse(order);
        return order[..Math.Min(count, order.Length)];
    }
}
