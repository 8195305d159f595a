using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;

namespace VaeStream.Evaluation;

/// <summary>A detector as the streaming replay drives it: scores rows in order, and the calibration scores it starts from.</summary>
internal interface IReplayDetector : IDisposable
{
    /// <summary>Rows of history a row's score needs before it (a window of W rows needs W − 1).</summary>
    int History { get; }

    /// <summary>Its own threshold, fitted with it: what the worker compares rows with while this model is live.</summary>
    double Threshold { get; }

    /// <summary>Scores of its own held-out tail, in order: where a streaming threshold starts.</summary>
    IReadOnlyList<double> Calibration { get; }

    /// <summary>Scores every row of <paramref name="rows"/> in order.</summary>
    float[] Score(FeatureTable rows);
}

/// <summary>What a replay decided: per test row, the score, the threshold in force and the decision; and the drifts.</summary>
/// <param name="Scores">The score of each row, by the model live when it arrived.</param>
/// <param name="Thresholds">The threshold each row was compared with.</param>
/// <param name="Severity">Score ÷ the threshold in force: comparable across the models a drift retrain swaps in.</param>
/// <param name="Predicted">The decision on each row.</param>
/// <param name="DriftsAt">Rows at which drift was declared (and a retrain swapped in).</param>
/// <param name="FinalThreshold">The threshold in force after the last row.</param>
internal sealed record ReplayResult(float[] Scores, double[] Thresholds, float[] Severity, bool[] Predicted, IReadOnlyList<int> DriftsAt, double FinalThreshold);

/// <summary>
/// The streaming (causal) mode of the protocol: the test stream in order, through the worker's logic. Each row is
/// compared with the threshold <see cref="ThresholdOptions.Streaming"/> names: the live model's own (the worker's
/// rule), or SPOT (DSPOT with <see cref="ThresholdOptions.StreamingDepth"/>), which starts from the live model's
/// calibration scores and learns from the stream's own peaks. The alarm-rate guard (<see cref="ThresholdOptions.Drift"/>)
/// watches the decisions: on drift, a new detector is trained on the rows the worker's drift retrain learns, and scores
/// from the next row on with its own threshold. The decision about row t uses the training rows and the test rows
/// before t, never a later one and never a label.
/// </summary>
internal static class StreamingReplay
{
    private const double MinThreshold = 1e-12;

    /// <summary>Replays <paramref name="test"/> through <paramref name="initial"/>, retraining with <paramref name="fit"/> on drift.</summary>
    public static ReplayResult Replay(FeatureTable train, FeatureTable test, IReplayDetector initial, Func<DriftRetrainWindow, IReplayDetector> fit,
        ThresholdOptions options)
    {
        int n = test.Rows;
        float[] scores = initial.Score(test);
        float[] severity = new float[n];
        double[] thresholds = new double[n];
        bool[] predicted = new bool[n];
        var drifts = new List<int>();
        IRowThreshold live = RowThreshold.For(initial, options);
        var guard = new AlarmRateGuard(options.Risk, options.Drift.Factor, options.Drift.Window, options.Drift.Hold);
        IReplayDetector? retrained = null;
        try
        {
            for (int i = 0; i < n; i++)
            {
                double threshold = live.Value;
                thresholds[i] = threshold;
                // A threshold of 0 (a detector whose calibration scores are all 0, as PCA keeping every component of a
                // single feature) would make 0 ÷ 0: a floor keeps the ranking by score instead.
                severity[i] = (float)(scores[i] / Math.Max(threshold, MinThreshold));
                predicted[i] = live.Observe(scores[i]);
                if (!options.Drift.Enabled || !guard.Observe(predicted[i]) || i == n - 1)
                {
                    continue;
                }

                drifts.Add(i);
                IReplayDetector next = fit(DriftWindow(train, test, severity, i, options.Drift.RetrainRows));
                retrained?.Dispose();
                retrained = next;
                int from = Math.Max(0, i + 1 - next.History);
                float[] rescored = next.Score(Slice(test, from, n));
                Array.Copy(rescored, i + 1 - from, scores, i + 1, n - i - 1);
                live = RowThreshold.For(next, options);
            }

            return new ReplayResult(scores, thresholds, severity, predicted, drifts, live.Value);
        }
        finally
        {
            retrained?.Dispose();
        }
    }

    /// <summary>SPOT (or DSPOT) alone, without drift retraining: one decision per score.</summary>
    public static (bool[] Predicted, double FinalThreshold) Decide(IReadOnlyList<double> calibration, ReadOnlySpan<float> scores,
        ThresholdOptions options)
    {
        var pot = new StreamingPot(calibration, options.Risk, options.InitialQuantile, options.StreamingDepth);
        bool[] predicted = new bool[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            predicted[i] = pot.Observe(scores[i]);
        }

        return (predicted, pot.Threshold);
    }

    /// <summary>
    /// The rows a drift retrain keeps as history: those the worker's normal window admits. The worker's <c>Retraining:WindowSize</c> default is 50,000;
    /// the replay keeps 10,000, as a retrain on 50,000 rows took SMD's evaluation from 2 to 3.4 minutes.
    /// </summary>
    public const int NormalWindowRows = 10_000;

    // What the worker's drift retrain learns, as of test row `last`: the last `count` rows seen, flagged included, and
    // as history its normal window before them (training rows, then the test rows it admitted, those scoring at most
    // WindowAdmission.DefaultFactor × the threshold then in force, the last NormalWindowRows of them).
    private static DriftRetrainWindow DriftWindow(FeatureTable train, FeatureTable test, float[] severity, int last, int count)
    {
        var history = new List<(FeatureTable Table, int Row)>();
        for (int r = last - count; r >= 0 && history.Count < NormalWindowRows; r--)
        {
            if (WindowAdmission.Admits(severity[r], 1.0, WindowAdmission.DefaultFactor))
            {
                history.Add((test, r));
            }
        }

        int trainInRecent = Math.Max(0, count - (last + 1));
        for (int r = train.Rows - 1 - trainInRecent; r >= 0 && history.Count < NormalWindowRows; r--)
        {
            history.Add((train, r));
        }

        var recent = new List<(FeatureTable Table, int Row)>();
        for (int r = last; r >= 0 && recent.Count < count; r--)
        {
            recent.Add((test, r));
        }

        for (int r = train.Rows - 1; r >= 0 && recent.Count < count; r--)
        {
            recent.Add((train, r));
        }

        return DriftRetrainRows.Compose(Gather(history, test.Schema), Gather(recent, test.Schema));
    }

    // The rows listed newest first, as one table, oldest first.
    private static FeatureTable Gather(List<(FeatureTable Table, int Row)> newestFirst, FeatureSchema schema)
    {
        int f = schema.FeatureCount;
        int n = newestFirst.Count;
        float[] values = new float[n * f];
        string?[] keys = new string?[n];
        for (int i = 0; i < n; i++)
        {
            (FeatureTable table, int row) = newestFirst[n - 1 - i];
            table.Values.AsSpan(row * f, f).CopyTo(values.AsSpan(i * f, f));
            keys[i] = table.EntityKeys?[row];
        }

        return new FeatureTable(schema, values, newestFirst.All(r => r.Table.EntityKeys is null) ? null : keys);
    }

    private static FeatureTable Slice(FeatureTable table, int from, int to)
    {
        int f = table.Schema.FeatureCount;
        return new FeatureTable(table.Schema, table.Values[(from * f)..(to * f)], table.EntityKeys?[from..to]);
    }
}
