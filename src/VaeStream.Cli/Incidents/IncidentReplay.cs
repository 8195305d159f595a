using VaeStream.Evaluation.Metrics;
using VaeStream.Worker.Incidents;

namespace VaeStream.Cli.Incidents;

/// <summary>
/// Runs the worker's incident tracker over one entity's flags, one row a minute, and scores the incidents against
/// the labelled segments: what <c>evaluate</c> reports as incident figures.
/// </summary>
internal static class IncidentReplay
{
    private static readonly DateTimeOffset Origin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The incidents the worker's tracker opens over <paramref name="predicted"/> (row flags), as row spans.</summary>
    public static List<IncidentSpan> Spans(IReadOnlyList<bool> predicted, IReadOnlyList<float> scores, IncidentOptions options)
    {
        var clock = new RowClock();
        var tracker = new IncidentTracker(options, clock);
        var messages = new List<IncidentSnapshot>();
        for (int row = 0; row < predicted.Count; row++)
        {
            clock.Row = row;
            DateTimeOffset at = Origin.AddMinutes(row);
            AnomalyPoint? anomaly = predicted[row]
                ? new AnomalyPoint(new SourcePosition("test", 0, row), at, scores[row], 0, "", [], [])
                : null;
            if (tracker.Observe("entity", at, anomaly) is { } message)
            {
                messages.Add(message);
            }
        }

        return IncidentSpans.Of(messages, (_, time) => Row(time));
    }

    /// <summary>Incident figures of <paramref name="spans"/> against <paramref name="labels"/>.</summary>
    public static IncidentDetection Of(List<IncidentSpan> spans, IReadOnlyList<bool> labels) =>
        IncidentDetection.Of(spans, [.. LabelledSegments.Of([.. labels]).Select(s => ((long)s.Start, (long)s.End))]);

    /// <summary>Which of <paramref name="rows"/> rows lie inside an incident, open to resolved, for plots.</summary>
    public static bool[] InsideIncidents(List<IncidentSpan> spans, int rows)
    {
        bool[] inside = new bool[rows];
        foreach (IncidentSpan span in spans)
        {
            for (long row = Math.Max(0, span.Start); row <= Math.Min(span.End, rows - 1); row++)
            {
                inside[row] = true;
            }
        }

        return inside;
    }

    private static long Row(DateTimeOffset time) => (long)Math.Round((time - Origin).TotalMinutes);

    // Processing time advances a minute a row, like event time, so the idle and update intervals mean what they say.
    private sealed class RowClock : TimeProvider
    {
        public int Row { get; set; }

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => Row * 60L;

        public override DateTimeOffset GetUtcNow() => Origin.AddMinutes(Row);
    }
}
