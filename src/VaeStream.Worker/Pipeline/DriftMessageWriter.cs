using System.Text.Json;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Writes the drift message (documented in the README): <c>kind: drift</c>, the event at which it was declared, the
/// flagged share that declared it, the live model, and the features that moved most, in that model's scaled units.
/// </summary>
internal static class DriftMessageWriter
{
    /// <summary>Serializes one drift declaration.</summary>
    public static byte[] Write(InputEvent source, AnomalyDetector detector, double flaggedShare, IReadOnlyList<(string Feature, double Shift)> moved)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", "drift");
            AnomalyMessageWriter.WriteSource(json, source);
            json.WriteNumber("flaggedShare", Math.Round(flaggedShare, 4));
            json.WriteNumber("risk", detector.Options.Threshold.Risk);
            json.WriteNumber("modelVersion", detector.Metadata.Version);
            json.WriteString("modelId", detector.Id);
            json.WriteStartArray("movedFeatures");
            foreach ((string feature, double shift) in moved)
            {
                json.WriteStartObject();
                json.WriteString("feature", feature);
                json.WriteNumber("shift", Math.Round(shift, 3));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
