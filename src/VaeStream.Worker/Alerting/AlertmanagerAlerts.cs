using System.Globalization;
using System.Text.Json;
using VaeStream.Worker.Incidents;

namespace VaeStream.Worker.Alerting;

/// <summary>The body of Alertmanager's <c>POST /api/v2/alerts</c>: one alert per incident.</summary>
internal static class AlertmanagerAlerts
{
    /// <summary>The alert name every incident is sent under.</summary>
    public const string AlertName = "VaeStreamIncident";

    /// <summary>
    /// Serializes <paramref name="incidents"/>. An open one has no <c>endsAt</c> (Alertmanager keeps it while it is
    /// re-sent); a resolved one ends at <paramref name="now"/>. <paramref name="featureLabel"/> gives the feature label
    /// an incident was first sent with: labels are an alert's identity, so they must not change while it is open.
    /// </summary>
    public static byte[] Write(IEnumerable<IncidentSnapshot> incidents, DateTimeOffset now, Func<IncidentSnapshot, string> featureLabel)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (IncidentSnapshot incident in incidents)
            {
                json.WriteStartObject();
                json.WriteStartObject("labels");
                json.WriteString("alertname", AlertName);
                json.WriteString("entity", incident.Entity);
                json.WriteString("kind", incident.Kind);
                json.WriteString("feature", featureLabel(incident));
                json.WriteString("incident", incident.Id);
                json.WriteEndObject();
                json.WriteStartObject("annotations");
                json.WriteString("summary", Summary(incident));
                json.WriteString("score", incident.PeakScore.ToString("G6", CultureInfo.InvariantCulture));
                json.WriteString("threshold", incident.Threshold.ToString("G6", CultureInfo.InvariantCulture));
                json.WriteString("contributions", Contributions(incident));
                json.WriteEndObject();
                json.WriteString("startsAt", incident.Start.UtcDateTime);
                if (incident.State == IncidentState.Resolved)
                {
                    // Never before the start: event time may run ahead of this machine's clock.
                    DateTimeOffset end = now > incident.Start ? now : incident.Start.AddSeconds(1);
                    json.WriteString("endsAt", end.UtcDateTime);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return stream.ToArray();
    }

    private static string Summary(IncidentSnapshot incident)
    {
        IncidentFeature? top = incident.Features.FirstOrDefault();
        string what = incident.Kind == "drift" ? "input drift across the fleet" : $"anomaly on {incident.Entity}";
        return top is null
            ? $"{what}: {incident.Anomalies} anomalous events"
            : FormattableString.Invariant($"{what}: {top.Feature} {top.ValueAtPeak:G4} (expected {top.ExpectedAtPeak:G4}), {incident.Anomalies} anomalous events");
    }

    private static string Contributions(IncidentSnapshot incident) =>
        string.Join("; ", incident.Features.Select(f => FormattableString.Invariant(
            $"{f.Feature}: share {f.MaxShare:F2}, {f.ValueAtPeak:G4} vs {f.ExpectedAtPeak:G4}")));
}
