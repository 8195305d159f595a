using System.Text;
using System.Text.Json;

namespace VaeStream.Worker.Incidents;

/// <summary>
/// The incident message (documented in the README), keyed by incident id on <c>Kafka:IncidentTopic</c>, and its
/// reading back when a restarted worker rebuilds the incidents that were open.
/// </summary>
internal static class IncidentMessages
{
    /// <summary>Serializes one incident message.</summary>
    public static byte[] Write(IncidentSnapshot incident)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", incident.Id);
            json.WriteNumber("sequence", incident.Sequence);
            json.WriteString("state", incident.State.ToString().ToLowerInvariant());
            json.WriteString("kind", incident.Kind);
            json.WriteString("entity", incident.Entity);
            json.WriteString("start", incident.Start.UtcDateTime);
            json.WriteString("end", incident.End.UtcDateTime);
            if (incident.ResolvedBy is not null)
            {
                json.WriteString("resolvedBy", incident.ResolvedBy);
            }

            WriteSource(json, "firstSource", incident.FirstSource);
            WriteSource(json, "lastSource", incident.LastSource);
            json.WriteNumber("anomalies", incident.Anomalies);
            json.WriteNumber("scored", incident.Scored);
            json.WriteNumber("peakScore", incident.PeakScore);
            json.WriteNumber("threshold", (float)incident.Threshold);
            json.WriteStartArray("modelIds");
            foreach (string model in incident.ModelIds)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
            json.WriteStartArray("features");
            foreach (IncidentFeature feature in incident.Features)
            {
                json.WriteStartObject();
                json.WriteString("feature", feature.Feature);
                json.WriteNumber("maxShare", MathF.Round(feature.MaxShare, 4));
                json.WriteNumber("valueAtPeak", feature.ValueAtPeak);
                json.WriteNumber("expectedAtPeak", feature.ExpectedAtPeak);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteEvent(json, "firstEvent", incident.FirstEvent);
            WriteEvent(json, "peakEvent", incident.PeakEvent);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Reads a message back; null when it is not an incident message of this format.</summary>
    public static IncidentSnapshot? Read(byte[] value)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            JsonElement m = document.RootElement;
            return new IncidentSnapshot
            {
                Id = m.GetProperty("id").GetString()!,
                Sequence = m.GetProperty("sequence").GetInt32(),
                State = Enum.Parse<IncidentState>(m.GetProperty("state").GetString()!, ignoreCase: true),
                Kind = m.GetProperty("kind").GetString()!,
                Entity = m.GetProperty("entity").GetString()!,
                Start = m.GetProperty("start").GetDateTimeOffset(),
                End = m.GetProperty("end").GetDateTimeOffset(),
                ResolvedBy = m.TryGetProperty("resolvedBy", out JsonElement by) ? by.GetString() : null,
                FirstSource = ReadSource(m.GetProperty("firstSource")),
                LastSource = ReadSource(m.GetProperty("lastSource")),
                Anomalies = m.GetProperty("anomalies").GetInt32(),
                Scored = m.GetProperty("scored").GetInt32(),
                PeakScore = m.GetProperty("peakScore").GetSingle(),
                Threshold = m.GetProperty("threshold").GetDouble(),
                ModelIds = [.. m.GetProperty("modelIds").EnumerateArray().Select(e => e.GetString()!)],
                Features = [.. m.GetProperty("features").EnumerateArray().Select(f => new IncidentFeature(f.GetProperty("feature").GetString()!,
                    f.GetProperty("maxShare").GetSingle(), f.GetProperty("valueAtPeak").GetSingle(), f.GetProperty("expectedAtPeak").GetSingle()))],
                FirstEvent = ReadEvent(m, "firstEvent"),
                PeakEvent = ReadEvent(m, "peakEvent"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteSource(Utf8JsonWriter json, string name, SourcePosition source)
    {
        json.WriteStartObject(name);
        json.WriteString("topic", source.Topic);
        json.WriteNumber("partition", source.Partition);
        json.WriteNumber("offset", source.Offset);
        json.WriteEndObject();
    }

    private static SourcePosition ReadSource(JsonElement source) =>
        new(source.GetProperty("topic").GetString()!, source.GetProperty("partition").GetInt32(), source.GetProperty("offset").GetInt64());

    // Events are embedded verbatim when they are JSON, as in anomaly messages; anything else is left out.
    private static void WriteEvent(Utf8JsonWriter json, string name, byte[]? value)
    {
        if (value is not { Length: > 0 })
        {
            json.WriteNull(name);
            return;
        }

        json.WritePropertyName(name);
        json.WriteRawValue(value, skipInputValidation: true);
    }

    private static byte[]? ReadEvent(JsonElement message, string name) =>
        message.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? Encoding.UTF8.GetBytes(e.GetRawText()) : null;

    /// <summary>The message key: the incident id.</summary>
    public static byte[] Key(IncidentSnapshot incident) => Encoding.UTF8.GetBytes(incident.Id);
}
