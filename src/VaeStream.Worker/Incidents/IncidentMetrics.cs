using Prometheus;

namespace VaeStream.Worker.Incidents;

/// <summary>The incident instruments, in the worker's registry (served on <c>/metrics</c>).</summary>
internal sealed class IncidentMetrics
{
    private readonly Gauge open;
    private readonly Counter opened;
    private readonly Counter resolved;
    private readonly Counter suppressed;
    private readonly Counter messages;
    private readonly Counter alertmanagerPosts;

    /// <summary>Creates the instruments in <paramref name="registry"/>, with the known label values at zero.</summary>
    public IncidentMetrics(CollectorRegistry registry)
    {
        IMetricFactory factory = Metrics.WithCustomRegistry(registry);
        open = factory.CreateGauge("vaestream_incidents_open", "Incidents open now");
        opened = factory.CreateCounter("vaestream_incidents_opened_total", "Incidents opened (published), by kind", ["kind"]);
        resolved = factory.CreateCounter("vaestream_incidents_resolved_total", "Incidents resolved (published)");
        suppressed = factory.CreateCounter("vaestream_incidents_suppressed_total", "Anomalies or incidents kept from paging by a suppression rule", ["rule"]);
        messages = factory.CreateCounter("vaestream_incident_messages_total", "Incident messages published, by state", ["state"]);
        alertmanagerPosts = factory.CreateCounter("vaestream_alertmanager_posts_total", "Posts to Alertmanager, by outcome", ["outcome"]);
        foreach (string kind in new[] { "anomaly", "drift" })
        {
            opened.WithLabels(kind);
        }

        foreach (string rule in new[] { "muted_entity", "muted_feature", "near_expected", "min_anomalies", "cooldown" })
        {
            suppressed.WithLabels(rule);
        }

        foreach (IncidentState state in Enum.GetValues<IncidentState>())
        {
            messages.WithLabels(state.ToString().ToLowerInvariant());
        }

        alertmanagerPosts.WithLabels("success");
        alertmanagerPosts.WithLabels("failure");
    }

    /// <summary>A message was published.</summary>
    public void Published(IncidentSnapshot incident, int openNow)
    {
        messages.WithLabels(incident.State.ToString().ToLowerInvariant()).Inc();
        open.Set(openNow);
        if (incident.State == IncidentState.Open)
        {
            opened.WithLabels(incident.Kind).Inc();
        }
        else if (incident.State == IncidentState.Resolved)
        {
            resolved.Inc();
        }
    }

    /// <summary>A suppression rule held something back.</summary>
    public void Suppressed(string rule) => suppressed.WithLabels(rule).Inc();

    /// <summary>The open count changed without a message (recovery).</summary>
    public void OpenNow(int count) => open.Set(count);

    /// <summary>A post to Alertmanager ended.</summary>
    public void AlertmanagerPost(bool success) => alertmanagerPosts.WithLabels(success ? "success" : "failure").Inc();
}
