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

    /// <summary>Incident figures of <paramref name="predicted"/> (row flags) against <paramref name="labels"/>.</summary>
    public static IncidentDetection Of(IReadOnlyList<bool> predicted, IReadOnlyList<float> scores, IReadOnlyList<bool> labels, IncidentOptions options)
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

        List<IncidentSpan> spans = IncidentSpans.Of(messages, (_, time) => Row(time));
        List<(long, long)> segments = [.. LabelledSegments.Of([.. labels]).Select(s => ((long)s.Start, (long)s.End))];
        return IncidentDetection.Of(spans, segments);
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
