using System.Text.Json;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Writes the drift messages (documented in the README): <c>kind: drift</c>, the event at which it was declared and the
/// live model. A fleet drift (<c>scope: fleet</c>) adds the flagged share that declared it and the features that moved
/// most, in the model's scaled units; an entity's (<c>scope: entity</c>) names the entity and gives each moved
/// feature's shift in residual scales.
/// </summary>
internal static class DriftMessageWriter
{
    /// <summary>Serializes one drift declaration.</summary>
    public static byte[] Write(InputEvent source, AnomalyDetector detector, double flaggedShare, IReadOnlyList<(string Feature, double Shift)> moved) =>
        Serialize(json =>
        {
            json.WriteString("scope", "fleet");
            AnomalyMessageWriter.WriteSource(json, source);
            json.WriteNumber("flaggedShare", Math.Round(flaggedShare, 4));
            json.WriteNumber("risk", detector.Options.Threshold.Risk);
            WriteModelAndMoved(json, detector, moved);
        });

    /// <summary>Serializes one entity's shift (<see cref="EntityDriftMonitor"/>).</summary>
    public static byte[] WriteEntity(InputEvent source, string entity, AnomalyDetector detector, IReadOnlyList<(int Feature, double Shift)> moved) =>
        Serialize(json =>
        {
            json.WriteString("scope", "entity");
            json.WriteString("entity", entity);
            AnomalyMessageWriter.WriteSource(json, source);
            WriteModelAndMoved(json, detector, [.. moved.Select(m => (detector.Schema.Features[m.Feature].Name, m.Shift))]);
        });

    private static byte[] Serialize(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", "drift");
            body(json);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteModelAndMoved(Utf8JsonWriter json, AnomalyDetector detector, IReadOnlyList<(string Feature, double Shift)> moved)
    {
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
    }
}
