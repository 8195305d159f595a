using VaeStream.Model.Thresholds;

namespace VaeStream.Model.Tests.Thresholds;

public sealed class StreamingPotTests
{
    private const double Risk = 1e-3;

    private static double Exponential(Random random) => -Math.Log(1 - random.NextDouble());

    private static double[] Stream(int count, Random random, double level = 0) =>
        [.. Enumerable.Range(0, count).Select(_ => level + Exponential(random))];

    private static double AlarmRate(StreamingPot pot, IEnumerable<double> scores) => scores.Average(s => pot.Observe(s) ? 1.0 : 0.0);

    [Fact]
    public void On_a_stationary_exponential_stream_spot_holds_the_true_quantile_and_alarms_at_about_the_risk()
    {
        var random = new Random(1);
        var spot = new StreamingPot(Stream(5_000, random), Risk, initialQuantile: 0.98);
        double truth = Math.Log(1 / Risk); // exponential(1): P(X > z) = e^(−z)

        // 1,000 peaks extrapolated to q = 1e-3: the estimate's own spread is about a tenth of the value.
        Assert.InRange(spot.Threshold, truth * 0.85, truth * 1.15);
        double rate = AlarmRate(spot, Stream(50_000, random));

        Assert.InRange(spot.Threshold, truth * 0.85, truth * 1.15);
        Assert.InRange(rate, 0.2 * Risk, 3 * Risk);
    }

    [Fact]
    public void After_a_lasting_level_change_dspot_follows_the_level_where_spot_keeps_alarming()
    {
        var random = new Random(2);
        double[] calibration = Stream(5_000, random);
        double[] before = Stream(10_000, random);
        double[] after = Stream(10_000, random, level: 5);
        var spot = new StreamingPot(calibration, Risk, initialQuantile: 0.98);
        var dspot = new StreamingPot(calibration, Risk, initialQuantile: 0.98, depth: 20);

        double spotBefore = AlarmRate(spot, before), dspotBefore = AlarmRate(dspot, before);
        double spotAfter = AlarmRate(spot, after[2_000..]);
        AlarmRate(dspot, after[..2_000]);
        double dspotAfter = AlarmRate(dspot, after[2_000..]);

        Assert.True(spotBefore < 3 * Risk && dspotBefore < 5 * Risk, $"before the change: SPOT {spotBefore:P2}, DSPOT {dspotBefore:P2}");
        // SPOT learns the shifted stream's peaks below its threshold, but never the alarms above it: it stays far above the risk.
        Assert.True(spotAfter > 50 * Risk, $"SPOT after the change: {spotAfter:P2}");
        Assert.True(dspotAfter < 5 * Risk, $"DSPOT after the change: {dspotAfter:P2}; threshold {dspot.Threshold:F2}");
    }

    [Fact]
    public void An_alarm_is_not_learned_from()
    {
        var random = new Random(3);
        var spot = new StreamingPot(Stream(2_000, random), Risk, initialQuantile: 0.98);
        double threshold = spot.Threshold;
        int peaks = spot.Peaks;

        for (int i = 0; i < 100; i++)
        {
            Assert.True(spot.Observe(threshold + 10));
        }

        Assert.Equal(threshold, spot.Threshold);
        Assert.Equal(peaks, spot.Peaks);
    }
}
