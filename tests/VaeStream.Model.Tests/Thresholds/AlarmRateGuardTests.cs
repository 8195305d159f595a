using VaeStream.Model.Thresholds;

namespace VaeStream.Model.Tests.Thresholds;

public sealed class AlarmRateGuardTests
{
    private static int? FirstDrift(AlarmRateGuard guard, IEnumerable<bool> alarms)
    {
        int i = 0;
        foreach (bool alarm in alarms)
        {
            if (guard.Observe(alarm))
            {
                return i;
            }

            i++;
        }

        return null;
    }

    [Fact]
    public void A_lasting_storm_is_declared_drift_once_the_window_has_been_above_the_limit_for_the_hold()
    {
        // Risk 1e-3 × factor 20: the limit is 2% over 500 events; every event alarms from event 1,000 on.
        var guard = new AlarmRateGuard(1e-3, 20, window: 500, hold: 300);
        bool[] alarms = [.. Enumerable.Range(0, 5_000).Select(i => i >= 1_000)];

        // The window passes 2% (10 of 500 alarms) at event 1,010; 300 more events above it, and drift is declared.
        Assert.Equal(1_010 + 300, FirstDrift(guard, alarms));
    }

    [Fact]
    public void A_burst_shorter_than_hold_less_window_is_left_alone_and_scattered_alarms_at_the_risk_never_trip_it()
    {
        var guard = new AlarmRateGuard(1e-3, 20, window: 500, hold: 1_000);
        var random = new Random(1);
        IEnumerable<bool> Stream()
        {
            for (int i = 0; i < 50_000; i++)
            {
                yield return (i is >= 10_000 and < 10_200) || random.NextDouble() < 2e-3; // a 200-event incident
            }
        }

        Assert.Null(FirstDrift(guard, Stream()));
    }

    [Fact]
    public void After_a_declaration_it_starts_afresh()
    {
        var guard = new AlarmRateGuard(1e-2, 10, window: 100, hold: 0);
        // Full after 100 events, all flagged: with no hold, drift at the 100th; then the same again from scratch.
        Assert.Equal(99, FirstDrift(guard, Enumerable.Repeat(true, 200)));
        Assert.Equal(0, guard.FlaggedShare);
        Assert.Equal(99, FirstDrift(guard, Enumerable.Repeat(true, 200)));
    }
}
