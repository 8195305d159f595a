namespace VaeStream.Worker.Incidents;

/// <summary>
/// Turns each entity's scored events into incidents: open when <see cref="IncidentOptions.OpenAfter"/> of its last
/// <see cref="IncidentOptions.Window"/> events were anomalies, update on a material change or once per
/// <see cref="IncidentOptions.UpdateInterval"/>, resolve after a quiet period or when the entity goes idle. Only
/// entities with an anomaly in their window hold state. Processing time comes from the <see cref="TimeProvider"/>.
/// Not thread-safe: <see cref="IncidentPublisher"/> serialises the calls.
/// </summary>
public sealed class IncidentTracker
{
    private readonly IncidentOptions options;
    private readonly TimeProvider time;
    private readonly SuppressionRules rules;
    private readonly Dictionary<string, EntityWindow> entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenIncident> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (OpenIncident Incident, long RestoredAt)> recovered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> cooldownUntil = new(StringComparer.Ordinal);

    /// <summary>Creates the tracker; <paramref name="suppressed"/> hears the rule of every suppression.</summary>
    public IncidentTracker(IncidentOptions options, TimeProvider time, Action<string>? suppressed = null)
    {
        if (options.QuietEvents == 0 && options.QuietTime == TimeSpan.Zero)
        {
            throw new ArgumentException("Incidents:QuietEvents and Incidents:QuietTime are both 0: an incident could only resolve by idling.");
        }

        if (options.OpenAfter > options.Window)
        {
            throw new ArgumentException($"Incidents:OpenAfter ({options.OpenAfter}) exceeds Incidents:Window ({options.Window}).");
        }

        this.options = options;
        this.time = time;
        rules = new SuppressionRules(options, suppressed ?? (_ => { }));
    }

    /// <summary>Incidents open now (published or not yet), recovered ones included.</summary>
    public int OpenCount => open.Count + recovered.Count;

    /// <summary>The published open incidents, as last published: what an alert sink re-sends.</summary>
    public IReadOnlyList<IncidentSnapshot> Published =>
        [.. open.Values.Select(i => i.LastPublished).OfType<IncidentSnapshot>(), .. recovered.Values.Select(r => r.Incident.LastPublished!)];

    /// <summary>Takes back an incident found open at start; it continues when its entity's next event arrives.</summary>
    public void Recover(IncidentSnapshot last)
    {
        long now = time.GetTimestamp();
        recovered[last.Entity] = (OpenIncident.Resume(last, now), now);
    }

    /// <summary>One scored event of <paramref name="entity"/>: <paramref name="anomaly"/> is null when it was normal.</summary>
    public IncidentSnapshot? Observe(string entity, DateTimeOffset eventTime, AnomalyPoint? anomaly)
    {
        if (anomaly is not null && rules.Suppresses(entity, anomaly))
        {
            anomaly = null;
        }

        // The common case, a normal event of an entity with nothing going on, costs one lookup: every entity with an
        // open incident or an anomaly in its window has a window here.
        if (anomaly is null && recovered.Count == 0 && !entities.ContainsKey(entity))
        {
            return null;
        }

        OpenIncident? incident = open.GetValueOrDefault(entity) ?? (recovered.Count == 0 ? null : Adopt(entity));
        if (anomaly is null && incident is null && !entities.ContainsKey(entity))
        {
            return null;
        }

        // Read the clock only past the fast path: at every normal event it was a measurable share of the scoring thread.
        long now = time.GetTimestamp();
        EntityWindow window = entities.TryGetValue(entity, out EntityWindow? known) ? known : entities[entity] = new EntityWindow(options.Window);
        window.Push(anomaly);
        if (incident is null)
        {
            IncidentSnapshot? opened = anomaly is null ? null : MaybeOpen(entity, window, now);
            if (opened is null && window.Anomalies == 0)
            {
                entities.Remove(entity);
            }

            return opened;
        }

        incident.LastSeen = now;
        incident.Scored++;
        return anomaly is null ? AfterNormal(incident, eventTime, now) : AfterAnomaly(incident, anomaly, now);
    }

    /// <summary>
    /// Resolves the incidents whose entity sent nothing for <see cref="IncidentOptions.IdleTimeout"/>. A recovered
    /// incident whose entity never came back resolves too, if <paramref name="owns"/> says its partition is read here.
    /// </summary>
    public List<IncidentSnapshot> ExpireIdle(Func<SourcePosition, bool> owns)
    {
        long now = time.GetTimestamp();
        var resolved = new List<IncidentSnapshot>();
        foreach (OpenIncident incident in open.Values.Where(i => time.GetElapsedTime(i.LastSeen, now) >= options.IdleTimeout).ToList())
        {
            if (Resolve(incident, now, "idle") is { } message)
            {
                resolved.Add(message);
            }
        }

        foreach ((string entity, (OpenIncident incident, long since)) in recovered.ToList())
        {
            if (time.GetElapsedTime(since, now) >= options.IdleTimeout && owns(incident.LastSource))
            {
                recovered.Remove(entity);
                resolved.Add(incident.Publish(IncidentState.Resolved, now, "idle"));
            }
        }

        return resolved;
    }

    private OpenIncident? Adopt(string entity)
    {
        if (!recovered.Remove(entity, out var found))
        {
            return null;
        }

        open[entity] = found.Incident;
        entities[entity] = new EntityWindow(options.Window);
        return found.Incident;
    }

    private IncidentSnapshot? MaybeOpen(string entity, EntityWindow window, long now)
    {
        if (window.Anomalies < options.OpenAfter)
        {
            return null;
        }

        if (cooldownUntil.TryGetValue(entity, out long until) && now < until)
        {
            rules.Count("cooldown");
            window.Clear();
            return null;
        }

        cooldownUntil.Remove(entity);
        IReadOnlyList<AnomalyPoint?> recent = window.FromFirstAnomaly();
        var incident = OpenIncident.Begin("anomaly", entity, recent[0]!);
        foreach (AnomalyPoint? point in recent)
        {
            incident.Scored++;
            if (point is not null)
            {
                incident.Add(point);
            }
        }

        incident.LastSeen = now;
        open[entity] = incident;
        return incident.Anomalies >= options.MinAnomalies ? incident.Publish(IncidentState.Open, now) : null;
    }

    private IncidentSnapshot? AfterAnomaly(OpenIncident incident, AnomalyPoint anomaly, long now)
    {
        incident.Add(anomaly);
        if (!incident.Published)
        {
            return incident.Anomalies >= options.MinAnomalies ? incident.Publish(IncidentState.Open, now) : null;
        }

        bool material = anomaly.Score >= incident.PublishedPeak * options.PeakStep || incident.Leader != incident.PublishedLeader;
        return material || time.GetElapsedTime(incident.PublishedAt, now) >= options.UpdateInterval
            ? incident.Publish(IncidentState.Update, now)
            : null;
    }

    private IncidentSnapshot? AfterNormal(OpenIncident incident, DateTimeOffset eventTime, long now)
    {
        incident.Quiet++;
        bool quiet = (options.QuietEvents > 0 && incident.Quiet >= options.QuietEvents)
            || (options.QuietTime > TimeSpan.Zero && eventTime - incident.End >= options.QuietTime);
        if (quiet)
        {
            return Resolve(incident, now, "quiet");
        }

        return incident.Published && incident.Changed && time.GetElapsedTime(incident.PublishedAt, now) >= options.UpdateInterval
            ? incident.Publish(IncidentState.Update, now)
            : null;
    }

    private IncidentSnapshot? Resolve(OpenIncident incident, long now, string why)
    {
        open.Remove(incident.Entity);
        entities.Remove(incident.Entity);
        if (options.Cooldown > TimeSpan.Zero)
        {
            cooldownUntil[incident.Entity] = now + (long)(options.Cooldown.TotalSeconds * time.TimestampFrequency);
        }

        if (incident.Published)
        {
            return incident.Publish(IncidentState.Resolved, now, why);
        }

        // Held back by Incidents:MinAnomalies until it ended: counted, never published.
        rules.Count("min_anomalies");
        return null;
    }
}
