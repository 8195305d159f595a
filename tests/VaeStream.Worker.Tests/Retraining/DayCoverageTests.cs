using VaeStream.Model.Features;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>The events the warm-up is done again on: kept from the warm-up until they span a day of event time.</summary>
public sealed class DayCoverageTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["cpu"]);
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_warm_up_shorter_than_a_day_is_kept_until_the_events_span_one_then_handed_over_in_event_time()
    {
        var coverage = new DayCoverage(Schema, TimeSpan.FromDays(1), capacity: 100);
        // Two hosts' warm-up, read partition by partition: not in event time.
        Assert.True(coverage.Begin([3f, 1f, 2f], [null, null, null], [Start.AddHours(8), Start, Start.AddHours(4)]));
        Assert.Equal(TimeSpan.FromHours(8), coverage.Covered);

        coverage.Add([5f], null, Start.AddHours(23));
        coverage.Add([4f], null, Start.AddHours(12));
        Assert.False(coverage.Due);
        coverage.Add([6f], null, Start.AddHours(24));
        Assert.True(coverage.Due);

        FeatureTable rows = coverage.Take();
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], rows.Values);
        Assert.False(coverage.Active);
        Assert.False(coverage.Due);
        coverage.Add([7f], null, Start.AddHours(30));
        Assert.Equal(0, coverage.Count);
    }

    [Fact]
    public void Nothing_is_kept_when_the_warm_up_already_spans_the_day_lacks_event_times_or_the_span_is_off()
    {
        DateTimeOffset?[] day = [Start, Start.AddHours(25)];
        Assert.False(new DayCoverage(Schema, TimeSpan.FromDays(1), 100).Begin([1f, 2f], [null, null], day));
        Assert.False(new DayCoverage(Schema, TimeSpan.FromDays(1), 100).Begin([1f, 2f], [null, null], [Start, null]));
        var off = new DayCoverage(Schema, TimeSpan.Zero, 100);
        Assert.False(off.Begin([1f, 2f], [null, null], [Start, Start.AddHours(1)]));
        off.Add([3f], null, Start.AddHours(2));
        Assert.Equal(0, off.Count);
    }

    [Fact]
    public void A_host_read_ahead_does_not_cover_the_day_for_the_others_but_a_quiet_host_holds_it_back_two_days_at_most()
    {
        var coverage = new DayCoverage(Schema, TimeSpan.FromDays(1), capacity: 100);
        Assert.True(coverage.Begin([1f, 2f], ["a", "b"], [Start, Start]));
        // Host a's partition is read a day ahead of host b's.
        coverage.Add([3f], "a", Start.AddHours(25));
        coverage.Add([4f], "b", Start.AddHours(10));
        Assert.False(coverage.Due);
        coverage.Add([5f], "b", Start.AddHours(24));
        Assert.True(coverage.Due);

        var quiet = new DayCoverage(Schema, TimeSpan.FromDays(1), capacity: 100);
        Assert.True(quiet.Begin([1f, 2f], ["a", "b"], [Start, Start.AddHours(1)]));
        quiet.Add([3f], "a", Start.AddHours(47));
        Assert.False(quiet.Due);
        quiet.Add([4f], "a", Start.AddHours(48));
        Assert.True(quiet.Due);
    }

    [Fact]
    public void Past_its_capacity_it_keeps_rows_spread_over_the_whole_span()
    {
        var coverage = new DayCoverage(Schema, TimeSpan.FromDays(1), capacity: 4);
        Assert.True(coverage.Begin([0f], [null], [Start]));
        for (int hour = 1; hour < 10; hour++)
        {
            coverage.Add([hour], null, Start.AddHours(hour));
        }

        Assert.True(coverage.Count <= 4);
        Assert.Equal(TimeSpan.FromHours(9), coverage.Covered);
        // Thinned twice: every fourth hour, from the first.
        Assert.Equal([0f, 4f, 8f], coverage.Take().Values);
    }

    [Fact]
    public void After_a_restart_it_gathers_from_nothing_and_is_due_once_the_events_read_since_span_the_day()
    {
        var coverage = new DayCoverage(Schema with { TimestampPath = "ts" }, TimeSpan.FromDays(1), capacity: 100);
        Assert.True(coverage.Resume());
        Assert.False(coverage.Due);
        coverage.Add([1f], "a", Start.AddHours(30));
        coverage.Add([2f], "a", Start.AddHours(53));
        Assert.False(coverage.Due);
        coverage.Add([3f], "a", Start.AddHours(54));
        Assert.True(coverage.Due);
        Assert.Equal([1f, 2f, 3f], coverage.Take().Values);

        // Without event times in the schema the day cannot be measured; with the span off there is nothing to redo.
        Assert.False(new DayCoverage(Schema, TimeSpan.FromDays(1), 100).Resume());
        Assert.False(new DayCoverage(Schema with { TimestampPath = "ts" }, TimeSpan.Zero, 100).Resume());
    }
}
