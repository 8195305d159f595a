using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;

namespace VaeStream.Evaluation.Tests;

public sealed class StreamingReplayTests
{
    private static readonly ThresholdOptions Options = new() { Risk = 1e-3, InitialQuantile = 0.98, Streaming = StreamingThreshold.Spot, StreamingDepth = 10 };

    private static float[] Exponential(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)-Math.Log(1 - random.NextDouble()))];
    }

    [Fact]
    public void No_decision_changes_when_only_later_scores_change()
    {
        double[] calibration = [.. Exponential(3_000, seed: 1).Select(s => (double)s)];
        float[] scores = Exponential(6_000, seed: 2);
        float[] future = [.. scores];
        const int cut = 3_000;
        var random = new Random(3);
        for (int i = cut; i < future.Length; i++)
        {
            future[i] = (float)(random.NextDouble() * 50); // a different future, full of alarms and new peaks
        }

        (bool[] original, _) = StreamingReplay.Decide(calibration, scores, Options);
        (bool[] changed, _) = StreamingReplay.Decide(calibration, future, Options);

        Assert.Equal(original[..cut], changed[..cut]);
        Assert.NotEqual(original[cut..], changed[cut..]); // the change did reach the decisions it may reach
    }

    [Fact]
    public void It_learns_from_the_stream_where_a_fixed_threshold_does_not()
    {
        // The stream's scores are twice the calibration's: the batch threshold flags a far larger share of them. SPOT
        // never learns from its alarms, so it closes the gap only in part.
        double[] calibration = [.. Exponential(3_000, seed: 4).Select(s => (double)s)];
        float[] scores = [.. Exponential(20_000, seed: 5).Select(s => 2 * s)];
        double batch = ThresholdFitter.Pot([.. calibration.Order()], 1e-3, 0.98).Value;

        (bool[] streamed, _) = StreamingReplay.Decide(calibration, scores, Options with { StreamingDepth = 0 });
        double streamedRate = streamed[10_000..].Average(p => p ? 1.0 : 0.0);
        double batchRate = scores[10_000..].Average(s => s > batch ? 1.0 : 0.0);

        Assert.True(streamedRate < 0.7 * batchRate, $"streaming flagged {streamedRate:P2}, batch {batchRate:P2}");
    }

    private static readonly FeatureSchema OneColumn = FeatureSchema.ForColumns(["x"]);

    private static FeatureTable Table(IEnumerable<float> values) => new(OneColumn, [.. values], null);

    // A stand-in model of pure logic: scores a row by how far its value lies above the mean of the rows it was fitted
    // on, and calibrates on the last fifth of them, its threshold a POT fit on those scores. A retrain on shifted rows
    // re-centres it.
    private sealed class LevelDetector : IReplayDetector
    {
        private readonly double mean;

        public LevelDetector(FeatureTable rows)
        {
            mean = rows.Values.Average(v => (double)v);
            Calibration = [.. rows.Values[^(rows.Rows / 5)..].Select(v => v - mean)];
            Threshold = ThresholdFitter.Pot([.. Calibration.Order()], 1e-3, 0.98).Value;
        }

        public int History => 0;

        public double Threshold { get; }

        public IReadOnlyList<double> Calibration { get; }

        public float[] Score(FeatureTable rows) => [.. rows.Values.Select(v => (float)(v - mean))];

        public void Dispose()
        {
        }
    }

    private static readonly ThresholdOptions Guarded = new() { Risk = 1e-3, InitialQuantile = 0.98 };

    [Theory]
    [InlineData(StreamingThreshold.Model)]
    [InlineData(StreamingThreshold.Spot)]
    public void A_lasting_level_shift_is_declared_drift_once_and_then_accepted_as_the_new_normal(StreamingThreshold streaming)
    {
        FeatureTable train = Table(Exponential(5_000, seed: 6));
        FeatureTable test = Table([.. Exponential(5_000, seed: 7), .. Exponential(15_000, seed: 8).Select(v => v + 5)]);

        ReplayResult result = StreamingReplay.Replay(train, test, new LevelDetector(train), window => new LevelDetector(window.Rows), Guarded with { Streaming = streaming });

        int drift = Assert.Single(result.DriftsAt);
        Assert.InRange(drift, 5_000 + Guarded.Drift.Hold, 5_000 + Guarded.Drift.Window + Guarded.Drift.Hold + 100);
        double before = result.Predicted[..5_000].Average(p => p ? 1.0 : 0.0);
        double during = result.Predicted[5_000..drift].Average(p => p ? 1.0 : 0.0);
        double after = result.Predicted[(drift + 1)..].Average(p => p ? 1.0 : 0.0);
        // After the retrain the flagged share is back under the guard's limit (factor × risk) and near the risk: the
        // retrain window still holds a few hundred rows from before the shift.
        double limit = Guarded.Drift.Factor * Guarded.Risk;
        Assert.True(before < 3e-3 && during > 0.05 && after < limit / 4, $"flagged before {before:P2}, during {during:P2}, after the retrain {after:P2} (guard limit {limit:P1})");
    }

    [Theory]
    [InlineData(StreamingThreshold.Model)]
    [InlineData(StreamingThreshold.Spot)]
    public void With_drift_retraining_no_decision_changes_when_only_later_rows_change(StreamingThreshold streaming)
    {
        FeatureTable train = Table(Exponential(5_000, seed: 9));
        float[] rows = [.. Exponential(3_000, seed: 10), .. Exponential(12_000, seed: 11).Select(v => v + 5)];
        const int cut = 8_000; // after the drift and its retrain
        var random = new Random(12);
        float[] other = [.. rows[..cut], .. Enumerable.Range(cut, rows.Length - cut).Select(_ => (float)(random.NextDouble() * 30))];

        ThresholdOptions options = Guarded with { Streaming = streaming };
        ReplayResult original = StreamingReplay.Replay(train, Table(rows), new LevelDetector(train), w => new LevelDetector(w.Rows), options);
        ReplayResult changed = StreamingReplay.Replay(train, Table(other), new LevelDetector(train), w => new LevelDetector(w.Rows), options);

        Assert.NotEmpty(original.DriftsAt);
        Assert.True(original.DriftsAt[0] < cut);
        Assert.Equal(original.Predicted[..cut], changed.Predicted[..cut]);
        Assert.Equal(original.Severity[..cut], changed.Severity[..cut]);
        Assert.NotEqual(original.Predicted[cut..], changed.Predicted[cut..]);
    }

    [Fact]
    public void By_default_each_row_meets_the_live_model_s_own_threshold_as_in_the_worker()
    {
        FeatureTable train = Table(Exponential(5_000, seed: 18));
        FeatureTable test = Table([.. Exponential(5_000, seed: 19), .. Exponential(15_000, seed: 20).Select(v => v + 5)]);
        var first = new LevelDetector(train);
        var models = new List<LevelDetector>();

        ReplayResult result = StreamingReplay.Replay(train, test, first, window =>
        {
            var next = new LevelDetector(window.Rows);
            models.Add(next);
            return next;
        }, Guarded);

        int drift = Assert.Single(result.DriftsAt);
        LevelDetector retrained = Assert.Single(models);
        Assert.NotEqual(first.Threshold, retrained.Threshold, precision: 3);
        float[] firstScores = first.Score(test);
        float[] retrainedScores = retrained.Score(test);
        for (int i = 0; i < test.Rows; i++)
        {
            (float score, double threshold) = i <= drift ? (firstScores[i], first.Threshold) : (retrainedScores[i], retrained.Threshold);
            Assert.True(result.Predicted[i] == score > threshold, $"row {i}: score {score}, threshold {threshold}, flagged {result.Predicted[i]}");
            Assert.Equal((float)(score / threshold), result.Severity[i], 4);
        }

        Assert.Equal(retrained.Threshold, result.FinalThreshold);
    }

    [Fact]
    public void A_drift_retrain_learns_the_worker_s_rows_older_recent_rows_repeated_admitted_history_then_the_newest_recent_rows()
    {
        FeatureTable train = Table(Exponential(5_000, seed: 13));
        // Before the lasting shift, one row in 100 is an outlier, alternately just above the threshold (+8) and far
        // above it (+15): too few to declare drift, and both kinds of row the history must tell apart.
        float[] before = [.. Exponential(5_000, seed: 14).Select((v, i) => i % 100 != 50 ? v : v + (i % 200 == 50 ? 8 : 15))];
        FeatureTable test = Table([.. before, .. Exponential(15_000, seed: 15).Select(v => v + 5)]);
        var fitted = new List<FeatureTable>();

        ReplayResult result = StreamingReplay.Replay(train, test, new LevelDetector(train), window =>
        {
            fitted.Add(window.Rows);
            return new LevelDetector(window.Rows);
        }, Guarded);

        int drift = Assert.Single(result.DriftsAt);
        FeatureTable rows = Assert.Single(fitted);
        int recent = Guarded.Drift.RetrainRows;
        int recentStart = drift + 1 - recent;
        bool Admitted(int i) => result.Severity[i] <= WindowAdmission.DefaultFactor;
        int admitted = Enumerable.Range(0, recentStart).Count(Admitted);
        int history = Math.Min(StreamingReplay.NormalWindowRows, admitted + train.Rows);
        int older = recent / 2;
        int repeats = Math.Clamp(history / older, 1, Model.Detection.DriftRetrainRows.MaxRepeats);
        Assert.Equal(repeats * older + history + (recent - older), rows.Rows);
        // The older half of the last `recent` test rows comes first, repeated; then the history: the rows before them
        // that the worker's window admits (flagged ones up to twice the threshold), no row above that and no recent
        // row; then the newer half once. (A value that is also another kind of row's, as floats can repeat, proves
        // nothing and is left out.)
        HashSet<float> Only(Func<int, bool> kind)
        {
            var values = new HashSet<float>(Enumerable.Range(0, drift + 1).Where(kind).Select(i => test.Values[i]));
            values.ExceptWith(Enumerable.Range(0, drift + 1).Where(i => !kind(i)).Select(i => test.Values[i]));
            values.ExceptWith(train.Values);
            return values;
        }

        HashSet<float> farAbove = Only(i => i < recentStart && !Admitted(i));
        HashSet<float> flaggedAdmitted = Only(i => i < recentStart && result.Predicted[i] && Admitted(i));
        HashSet<float> recentRows = Only(i => i >= recentStart);
        Assert.True(farAbove.Count > 10, $"{farAbove.Count} rows above twice the threshold before the recent rows");
        Assert.True(flaggedAdmitted.Count > 10, $"{flaggedAdmitted.Count} flagged rows within twice the threshold before the recent rows");
        int historyStart = repeats * older;
        float[] historyValues = rows.Values[historyStart..(historyStart + history)];
        Assert.DoesNotContain(historyValues, farAbove.Contains);
        Assert.DoesNotContain(historyValues, recentRows.Contains);
        Assert.Contains(historyValues, flaggedAdmitted.Contains);
        float[] last = test.Values[recentStart..(drift + 1)];
        Assert.Equal(last[..older], rows.Values[..older]);
        Assert.Equal(last[..older], rows.Values[((repeats - 1) * older)..historyStart]);
        Assert.Equal(last[older..], rows.Values[^(recent - older)..]);
    }

    // A detector that scores every row 0, as pca_rw keeping the one component of a single-feature series does.
    private sealed class ZeroDetector : IReplayDetector
    {
        public int History => 0;

        public double Threshold => 0;

        public IReadOnlyList<double> Calibration { get; } = new double[1_000];

        public float[] Score(FeatureTable rows) => new float[rows.Rows];

        public void Dispose()
        {
        }
    }

    [Fact]
    public void A_threshold_of_zero_gives_finite_severities_that_keep_the_ranking()
    {
        FeatureTable train = Table(Exponential(2_000, seed: 16));
        FeatureTable test = Table(Exponential(3_000, seed: 17));

        ReplayResult result = StreamingReplay.Replay(train, test, new ZeroDetector(), _ => new ZeroDetector(), Guarded);

        Assert.Equal(0, result.FinalThreshold);
        Assert.All(result.Severity, s => Assert.Equal(0f, s));
    }
}
