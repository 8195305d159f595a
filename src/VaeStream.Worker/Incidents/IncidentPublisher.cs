using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;

namespace VaeStream.Worker.Incidents;

/// <summary>
/// Feeds the pipeline's scored events to the <see cref="IncidentTracker"/> and publishes its messages on the incident
/// topic, keyed by incident id. A message caused by an event holds that event's offset until the broker has it, as an
/// anomaly does; one caused by a timer (an idle entity) holds none. Drift declared by the alarm-rate guard is an
/// incident of kind <c>drift</c>, from its declaration until the retrained model is live.
/// </summary>
public sealed class IncidentPublisher : IDisposable
{
    /// <summary>The entity of fleet-wide incidents (drift).</summary>
    public const string FleetEntity = "*";

    private readonly IncidentTracker tracker;
    private readonly IOutputPublisher publisher;
    private readonly IncidentMetrics metrics;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly HashSet<(string Topic, int Partition)> partitionsRead = [];
    private (string Topic, int Partition) lastPartition;
    private OpenIncident? drift;
    private ITimer? idleTimer;

    /// <summary>Creates the publisher; call <see cref="Start"/> to begin the idle checks.</summary>
    internal IncidentPublisher(IncidentOptions options, IOutputPublisher publisher, IncidentMetrics metrics, TimeProvider time)
    {
        tracker = new IncidentTracker(options, time, metrics.Suppressed);
        this.publisher = publisher;
        this.metrics = metrics;
        this.time = time;
    }

    /// <summary>Every message published, on the publishing thread (the Alertmanager sink listens).</summary>
    public event Action<IncidentSnapshot>? Published;

    /// <summary>The open incidents, as last published.</summary>
    public IReadOnlyList<IncidentSnapshot> Active
    {
        get
        {
            lock (gate)
            {
                return drift?.LastPublished is { } d ? [.. tracker.Published, d] : tracker.Published;
            }
        }
    }

    /// <summary>Incidents open now.</summary>
    public int OpenCount
    {
        get
        {
            lock (gate)
            {
                return OpenNow;
            }
        }
    }

    // Callers hold the gate.
    private int OpenNow => tracker.OpenCount + (drift is null ? 0 : 1);

    /// <summary>Checks for idle entities once a second.</summary>
    public void Start() => idleTimer ??= time.CreateTimer(_ => ExpireIdle(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    /// <summary>Takes back the incidents that were open when the worker last stopped.</summary>
    public void Recover(IEnumerable<IncidentSnapshot> open)
    {
        lock (gate)
        {
            foreach (IncidentSnapshot incident in open)
            {
                if (incident.Kind == "drift")
                {
                    // A drift's retrain does not survive a restart: the restarted worker starts from the newest checkpoint.
                    Emit(OpenIncident.Resume(incident, time.GetTimestamp()).Publish(IncidentState.Resolved, time.GetTimestamp(), "restart"), null);
                    continue;
                }

                tracker.Recover(incident);
            }

            metrics.OpenNow(OpenNow);
        }
    }

    /// <summary>
    /// One scored event, with the schema's entity key and timestamp as extracted (either may be null);
    /// <paramref name="anomaly"/> is null when it was normal.
    /// </summary>
    public void Observe(InputEvent source, string? entityKey, DateTimeOffset? eventTime, AnomalyPoint? anomaly)
    {
        string entity = AnomalyPoints.Entity(entityKey, source.Key);
        DateTimeOffset at = anomaly?.EventTime ?? AnomalyPoints.EventTime(eventTime, source);
        lock (gate)
        {
            // Batches come from one partition at a time: hashing the topic once per run, not per event, matters here.
            if (source.Partition != lastPartition.Partition || !ReferenceEquals(source.Topic, lastPartition.Topic))
            {
                lastPartition = (source.Topic, source.Partition);
                partitionsRead.Add(lastPartition);
            }

            if (tracker.Observe(entity, at, anomaly) is { } message)
            {
                Emit(message, source);
            }
        }
    }

    /// <summary>The alarm-rate guard declared drift at <paramref name="source"/>.</summary>
    public void DriftDeclared(InputEvent source, AnomalyPoint point)
    {
        lock (gate)
        {
            if (drift is not null)
            {
                return;
            }

            drift = OpenIncident.Begin("drift", FleetEntity, point);
            drift.Add(point);
            drift.Scored = 1;
            Emit(drift.Publish(IncidentState.Open, time.GetTimestamp()), source);
        }
    }

    /// <summary>The drift retrain went live: the drift incident resolves.</summary>
    public void DriftEnded()
    {
        lock (gate)
        {
            if (drift is null)
            {
                return;
            }

            IncidentSnapshot resolved = drift.Publish(IncidentState.Resolved, time.GetTimestamp(), "retrained");
            drift = null;
            Emit(resolved, null);
        }
    }

    /// <inheritdoc />
    public void Dispose() => idleTimer?.Dispose();

    private void ExpireIdle()
    {
        lock (gate)
        {
            foreach (IncidentSnapshot message in tracker.ExpireIdle(p => partitionsRead.Contains((p.Topic, p.Partition))))
            {
                Emit(message, null);
            }
        }
    }

    private void Emit(IncidentSnapshot incident, InputEvent? source)
    {
        // Held before the publish: its acknowledgement may come before the event's other output is even queued.
        source?.Hold();
        publisher.PublishIncident(IncidentMessages.Key(incident), IncidentMessages.Write(incident), source);
        metrics.Published(incident, OpenNow);
        Published?.Invoke(incident);
    }
}
