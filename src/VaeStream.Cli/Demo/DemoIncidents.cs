using System.Globalization;
using VaeStream.Cli.Incidents;
using VaeStream.Evaluation.Metrics;
using VaeStream.Simulation;
using VaeStream.Worker.Incidents;

namespace VaeStream.Cli.Demo;

/// <summary>The demo's incidents against the injected truth.</summary>
/// <param name="Incidents">Anomaly incidents opened.</param>
/// <param name="Detection">Incident precision, segment recall and median time to detect (minutes of event time).</param>
/// <param name="MessagesByState">Incident messages published, per state.</param>
/// <param name="Days">Event time the stream covers, in days.</param>
/// <param name="Drifts">Drift incidents.</param>
internal sealed record DemoIncidentFigures(int Incidents, IncidentDetection Detection, IReadOnlyDictionary<string, int> MessagesByState, double Days, int Drifts);

/// <summary>Folds the incident messages into incidents and scores them against the injected segments of each host.</summary>
internal static class DemoIncidents
{
    // Hosts are laid end to end on one axis, this many minutes apart, so one overlap test serves every host.
    private const long HostStride = 10_000_000;

    /// <summary>Scores the run's incidents.</summary>
    public static DemoIncidentFigures Evaluate(DemoRecorder recorder, EventFeed feed)
    {
        IncidentSnapshot[] messages = [.. recorder.IncidentMessages];
        List<IncidentSpan> spans = Spans(messages.Where(m => m.Kind == "anomaly"));
        List<(long, long)> segments = Segments(feed);
        var byState = messages.GroupBy(m => m.State.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count());
        long[] steps = [.. feed.Truth.Keys.Select(k => Step(k).Minute)];
        double days = steps.Length == 0 ? 0 : (steps.Max() - steps.Min() + 1) / 1440.0;
        return new DemoIncidentFigures(spans.Count, IncidentDetection.Of(spans, segments), byState, days,
            messages.Where(m => m.Kind == "drift").Select(m => m.Id).Distinct().Count());
    }

    /// <summary>For the timeline: which of <paramref name="keys"/> (one host's events, in order) fall inside one of its incidents.</summary>
    public static bool[] InsideIncidents(DemoRecorder recorder, string host, IReadOnlyList<string> keys)
    {
        List<(long Start, long End)> spans = [.. Spans(recorder.IncidentMessages.Where(m => m.Kind == "anomaly" && m.Entity == host))
            .Select(s => (s.Start, s.End))];
        return [.. keys.Select(k => { long t = Axis(Step(k)); return spans.Any(s => t >= s.Start && t <= s.End); })];
    }

    private static List<IncidentSpan> Spans(IEnumerable<IncidentSnapshot> messages) =>
        IncidentSpans.Of(messages, (incident, time) => Axis(HostIndex(incident.Entity), time));

    // Maximal runs of consecutive anomalous minutes per host.
    private static List<(long, long)> Segments(EventFeed feed)
    {
        var segments = new List<(long, long)>();
        foreach (IGrouping<int, (int Host, long Minute)> host in feed.Truth.Where(t => t.Value != AnomalyKind.None).Select(t => Step(t.Key)).GroupBy(s => s.Host))
        {
            long[] minutes = [.. host.Select(s => s.Minute).Order()];
            long start = minutes[0];
            for (int i = 1; i <= minutes.Length; i++)
            {
                if (i == minutes.Length || minutes[i] != minutes[i - 1] + 1)
                {
                    segments.Add((Axis((host.Key, start)), Axis((host.Key, minutes[i - 1]))));
                    start = i < minutes.Length ? minutes[i] : 0;
                }
            }
        }

        return segments;
    }

    private static (int Host, long Minute) Step(string key) =>
        (HostIndex(key[..key.IndexOf(':', StringComparison.Ordinal)]), long.Parse(key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));

    private static int HostIndex(string host) => int.Parse(host.AsSpan(1), CultureInfo.InvariantCulture);

    private static long Axis((int Host, long Minute) at) => at.Host * HostStride + at.Minute;

    private static long Axis(int host, DateTimeOffset time) => Axis((host, (long)Math.Round((time - OpsEventGenerator.Origin).TotalMinutes)));
}
