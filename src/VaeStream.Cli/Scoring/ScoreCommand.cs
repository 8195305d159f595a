using System.CommandLine;
using System.Globalization;
using System.Text;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Scoring;

/// <summary>How <c>vaestream score</c> decides which rows are anomalies.</summary>
internal enum ScoreMode
{
    /// <summary>Every row against the model's own threshold: what the worker does to each event between retrains.</summary>
    Batch,

    /// <summary>
    /// A threshold that starts from the model's calibration scores and learns from the file's own peaks in order
    /// (SPOT, or DSPOT with <c>threshold.streamingDepth</c> &gt; 0): the evaluate report's streaming mode with
    /// <c>threshold.streaming</c> <c>Spot</c>, without its drift retrains, since a model file brings no training rows.
    /// </summary>
    Streaming,
}

/// <summary><c>vaestream score</c>: score every row of a file with a saved model, in input order.</summary>
internal static class ScoreCommand
{
    private const int TopFeatures = 3;

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model checkpoint written by 'vaestream train'.", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "Rows to score (.csv/.txt or .jsonl).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "CSV with row,score,threshold,anomaly,top_features.", Required = true };
        var mode = new Option<ScoreMode>("--mode")
        {
            Description = "Batch (the default): every row against the model's own threshold, as the worker decides each event between "
                + "retrains. Streaming: the threshold starts from the model's calibration scores and keeps learning from this file's own "
                + "peaks, in order (SPOT), so the decision on a row uses the rows before it only.",
            DefaultValueFactory = _ => ScoreMode.Batch,
        };
        var schema = CommonOptions.Schema();
        var command = new Command("score", "Score rows with a saved model and its own threshold.") { model, input, output, mode, schema };
        command.SetAction(parse =>
        {
            CommonOptions.StartTorch();
            FeatureSchema? expected = CommonOptions.LoadSchema(parse.GetValue(schema));
            string modelPath = parse.GetValue(model)!.FullName;
            using AnomalyDetector detector = ModelCheckpoint.Load(modelPath, expected);
            FeatureTable table = FeatureTable.Read(parse.GetValue(input)!.FullName, detector.Schema);
            TableScores scores = detector.ScoreTable(table);
            ScoreMode chosen = parse.GetValue(mode);
            (double[] thresholds, bool[] anomalies) = chosen == ScoreMode.Batch
                ? ([.. Enumerable.Repeat(detector.Threshold.Value, table.Rows)], [.. scores.Scores.Select(s => s > detector.Threshold.Value)])
                : Streaming(detector, scores.Scores, modelPath);
            int flagged = Write(parse.GetValue(output)!.FullName, detector, scores, thresholds, anomalies);
            Console.WriteLine(chosen == ScoreMode.Batch
                ? $"Scored {table.Rows} rows with model v{detector.Metadata.Version}; {flagged} above threshold {detector.Threshold.Value:G6}."
                : $"Scored {table.Rows} rows with model v{detector.Metadata.Version} in streaming mode; {flagged} above the threshold in force "
                    + $"(from {detector.Threshold.Value:G6} to {thresholds[^1]:G6}).");
            return ExitCodes.Success;
        });
        return command;
    }

    // The threshold in force at each row: SPOT decides on a row before it learns from it, so row t's threshold
    // depends on rows before t only.
    private static (double[] Thresholds, bool[] Anomalies) Streaming(AnomalyDetector detector, float[] scores, string modelPath)
    {
        float[] calibration = detector.CalibrationScores
            ?? throw new ArgumentException($"'{modelPath}' was saved before checkpoints kept their calibration scores (format 3); "
                + "streaming mode starts from them: train the model again, or use --mode batch.");
        ThresholdOptions options = detector.Options.Threshold;
        var pot = new StreamingPot([.. calibration.Select(c => (double)c)], options.Risk, options.InitialQuantile, options.StreamingDepth);
        double[] thresholds = new double[scores.Length];
        bool[] anomalies = new bool[scores.Length];
        for (int r = 0; r < scores.Length; r++)
        {
            thresholds[r] = pot.Threshold;
            anomalies[r] = pot.Observe(scores[r]);
        }

        return (thresholds, anomalies);
    }

    private static int Write(string path, AnomalyDetector detector, TableScores scores, double[] thresholds, bool[] anomalies)
    {
        int features = detector.Schema.FeatureCount;
        int rows = thresholds.Length;
        int flagged = 0;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.WriteLine("row,score,threshold,anomaly,top_features");
        var line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            float score = scores.Scores[r];
            bool anomaly = anomalies[r];
            flagged += anomaly ? 1 : 0;
            line.Clear()
                .Append(r).Append(',')
                .Append(score.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(thresholds[r].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(anomaly ? '1' : '0').Append(',');
            AppendTop(line, detector.Schema, scores.Contributions.AsSpan(r * features, features));
            writer.WriteLine(line);
        }

        return flagged;
    }

    private static void AppendTop(StringBuilder line, FeatureSchema schema, ReadOnlySpan<float> contributions)
    {
        int[] order = Enumerable.Range(0, contributions.Length).ToArray();
        float[] keys = contributions.ToArray();
        Array.Sort(keys, order);
        for (int k = 0; k < Math.Min(TopFeatures, order.Length); k++)
        {
            int feature = order[order.Length - 1 - k];
            line.Append(k == 0 ? "" : ";").Append(schema.Features[feature].Name).Append(':')
                .Append(contributions[feature].ToString("G4", CultureInfo.InvariantCulture));
        }
    }
}
