using System.CommandLine;
using System.Globalization;
using System.Text;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Scoring;

/// <summary><c>vaestream score</c>: score every row of a file with a saved model, in input order.</summary>
internal static class ScoreCommand
{
    private const int TopFeatures = 3;

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model checkpoint written by 'vaestream train'.", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "Rows to score (.csv/.txt or .jsonl).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "CSV with row,score,threshold,anomaly,top_features.", Required = true };
        var schema = CommonOptions.Schema();
        var command = new Command("score", "Score rows with a saved model and its own threshold.") { model, input, output, schema };
        command.SetAction(parse =>
        {
            CommonOptions.StartTorch();
            FeatureSchema? expected = CommonOptions.LoadSchema(parse.GetValue(schema));
            using AnomalyDetector detector = ModelCheckpoint.Load(parse.GetValue(model)!.FullName, expected);
            FeatureTable table = FeatureTable.Read(parse.GetValue(input)!.FullName, detector.Schema);
            TableScores scores = detector.ScoreTable(table);
            int flagged = Write(parse.GetValue(output)!.FullName, detector, scores, table.Rows);
            Console.WriteLine($"Scored {table.Rows} rows with model v{detector.Metadata.Version}; {flagged} above threshold {detector.Threshold.Value:G6}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Write(string path, AnomalyDetector detector, TableScores scores, int rows)
    {
        int features = detector.Schema.FeatureCount;
        double threshold = detector.Threshold.Value;
        string thresholdText = threshold.ToString("R", CultureInfo.InvariantCulture);
        int flagged = 0;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.WriteLine("row,score,threshold,anomaly,top_features");
        var line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            float score = scores.Scores[r];
            bool anomaly = score > threshold;
            flagged += anomaly ? 1 : 0;
            line.Clear()
                .Append(r).Append(',')
                .Append(score.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(thresholdText).Append(',')
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
