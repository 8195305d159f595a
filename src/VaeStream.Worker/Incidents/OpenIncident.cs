using System.Security.Cryptography;
using System.Text;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Incidents;

/// <summary>An incident while it is open: what its messages report, and what decides the next one. Owned by the tracker.</summary>
internal sealed class OpenIncident
{
    private readonly Dictionary<string, IncidentFeature> features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> totalShares = new(StringComparer.Ordinal);
    private readonly List<string> modelIds = [];

    private OpenIncident(string id, string kind, string entity, AnomalyPoint first)
    {
        Id = id;
        Kind = kind;
        Entity = entity;
        First = first;
        Peak = first;
        FirstSource = first.At;
        LastSource = first.At;
        Start = first.EventTime;
        End = first.EventTime;
    }

    public string Id { get; }

    public string Kind { get; }

    public string Entity { get; }

    public AnomalyPoint First { get; }

    public AnomalyPoint Peak { get; private set; }


    public SourcePosition FirstSource { get; }

    public SourcePosition LastSource { get; private set; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; private set; }

    public int Anomalies { get; private set; }

    public int Scored { get; set; }

    /// <summary>Normal events of the entity since its last anomaly.</summary>
    public int Quiet { get; set; }

    /// <summary>Messages published so far; 0 while held back by <see cref="IncidentOptions.MinAnomalies"/>.</summary>
    public int Sequence { get; private set; }

    public bool Published => Sequence > 0;

    /// <summary>Anomalies counted since the last message.</summary>
    public bool Changed { get; private set; }

    public float PublishedPeak { get; private set; }

    public string? PublishedLeader { get; private set; }

    public long PublishedAt { get; private set; }

    /// <summary>The last message published, or null.</summary>
    public IncidentSnapshot? LastPublished { get; private set; }

    /// <summary>Processing-time stamp of the entity's last event.</summary>
    public long LastSeen { get; set; }

    /// <summary>The feature that drove the incident most: the largest sum of shares over its anomalies.</summary>
    public string? Leader => totalShares.Count == 0 ? null : totalShares.MaxBy(s => s.Value).Key;

    /// <summary>
    /// A stable id: a replay of the same events after a crash starts from the same first anomaly, so it gives the
    /// same id, and consumers deduplicate on id and sequence.
    /// </summary>
    public static string IdOf(string kind, string entity, SourcePosition first)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{entity}\n{first.Topic}\n{first.Partition}\n{first.Offset}"));
        return $"{kind}-{Convert.ToHexStringLower(hash)[..16]}";
    }

    public static OpenIncident Begin(string kind, string entity, AnomalyPoint first) => new(IdOf(kind, entity, first.At), kind, entity, first);

    /// <summary>Rebuilds an incident from its last message (after a restart), to continue its sequence.</summary>
    public static OpenIncident Resume(IncidentSnapshot last, long now)
    {
        var first = new AnomalyPoint(last.FirstSource, last.Start, last.PeakScore, last.Threshold, last.ModelIds.LastOrDefault() ?? "", [], last.FirstEvent ?? []);
        var incident = new OpenIncident(last.Id, last.Kind, last.Entity, first)
        {
            Anomalies = last.Anomalies,
            Scored = last.Scored,
            Sequence = last.Sequence,
            PublishedPeak = last.PeakScore,
            LastSource = last.LastSource,
            End = last.End,
        };
        incident.Peak = first with { Event = last.PeakEvent ?? [] };
        incident.modelIds.AddRange(last.ModelIds);
        foreach (IncidentFeature feature in last.Features)
        {
            incident.features[feature.Feature] = feature;
            incident.totalShares[feature.Feature] = feature.MaxShare;
        }

        incident.PublishedAt = now;

        incident.PublishedLeader = incident.Leader;
        incident.LastPublished = last;
        return incident;
    }

    /// <summary>Counts one anomaly in.</summary>
    public void Add(AnomalyPoint point)
    {
        Anomalies++;
        Quiet = 0;
        LastSource = point.At;
        End = point.EventTime > End ? point.EventTime : End;
        Changed = true;
        if (modelIds.Count == 0 || modelIds[^1] != point.ModelId)
        {
            modelIds.Add(point.ModelId);
        }

        bool peak = point.Score > Peak.Score || Anomalies == 1;
        if (peak)
        {
            Peak = point;
        }

        foreach (FeatureContribution c in point.Contributions)
        {
            totalShares[c.Feature] = totalShares.GetValueOrDefault(c.Feature) + c.Share;
            IncidentFeature? known = features.GetValueOrDefault(c.Feature);
            features[c.Feature] = new IncidentFeature(c.Feature, Math.Max(c.Share, known?.MaxShare ?? 0),
                peak || known is null ? c.Value : known.ValueAtPeak, peak || known is null ? c.Expected : known.ExpectedAtPeak);
        }
    }

    /// <summary>The next message; <paramref name="now"/> is the processing time it is published at.</summary>
    public IncidentSnapshot Publish(IncidentState state, long now, string? resolvedBy = null)
    {
        Sequence++;
        Changed = false;
        PublishedPeak = Peak.Score;
        PublishedLeader = Leader;
        PublishedAt = now;
        return LastPublished = new IncidentSnapshot
        {
            Id = Id,
            Kind = Kind,
            Entity = Entity,
            Sequence = Sequence,
            State = state,
            Start = Start,
            End = End,
            FirstSource = FirstSource,
            LastSource = LastSource,
            Anomalies = Anomalies,
            Scored = Scored,
            PeakScore = Peak.Score,
            Threshold = Peak.Threshold,
            ModelIds = [.. modelIds],
            Features = [.. features.Values.OrderByDescending(f => totalShares.GetValueOrDefault(f.Feature))],
            FirstEvent = First.Event,
            PeakEvent = Peak.Event,
            ResolvedBy = resolvedBy,
        };
    }
}
