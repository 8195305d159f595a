using VaeStream.Cli.Incidents;
using VaeStream.Evaluation.Metrics;
using VaeStream.Worker.Incidents;

namespace VaeStream.Worker.Tests.Cli;

public sealed class IncidentReplayTests
{
    [Fact]
    public void The_rows_inside_incidents_cover_a_burst_of_flags_and_nothing_far_from_it()
    {
        bool[] flags = new bool[1_000];
        for (int row = 300; row < 340; row++)
        {
            flags[row] = true;
        }

        flags[700] = true; // one flag alone opens no incident (OpenAfter is several of the last N)
        float[] scores = [.. flags.Select(f => f ? 10f : 1f)];
        var options = new IncidentOptions();

        List<IncidentSpan> spans = IncidentReplay.Spans(flags, scores, options);
        bool[] inside = IncidentReplay.InsideIncidents(spans, flags.Length);

        Assert.All(Enumerable.Range(310, 30), row => Assert.True(inside[row], $"row {row} of the burst is outside every incident"));
        Assert.DoesNotContain(true, inside[..290]);
        Assert.DoesNotContain(true, inside[600..]);
        Assert.Equal(1, IncidentReplay.Of(spans, [.. flags.Select((_, i) => i is >= 300 and < 340)]).Incidents);
    }
}
