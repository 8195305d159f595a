using VaeStream.Evaluation.Metrics;
using VaeStream.Worker.Incidents;

namespace VaeStream.Cli.Incidents;

/// <summary>Folds incident messages into one span per incident, for scoring against labelled segments.</summary>
internal static class IncidentSpans
{
    /// <summary>
    /// Per incident id: its start, when it was opened (the end at its first message) and its end at its last message,
    /// each placed on the caller's axis (rows, minutes) by <paramref name="axis"/>, which also sees the message.
    /// </summary>
    public static List<IncidentSpan> Of(IEnumerable<IncidentSnapshot> messages, Func<IncidentSnapshot, DateTimeOffset, long> axis) =>
        [.. messages.GroupBy(m => m.Id).Select(g =>
        {
            IncidentSnapshot first = g.MinBy(m => m.Sequence)!;
            IncidentSnapshot last = g.MaxBy(m => m.Sequence)!;
            return new IncidentSpan(axis(last, last.Start), axis(last, first.End), axis(last, last.End));
        })];
}
