using System.CommandLine;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Training;

/// <summary><c>vaestream train</c>: fit a detector on a CSV or JSON-lines file and save its checkpoint.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Training rows: .csv/.txt (CSV) or .jsonl (one JSON event per line).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where the model checkpoint is written.", Required = true };
        var schema = CommonOptions.Schema();
        var config = CommonOptions.Config();
        var window = CommonOptions.Window();
        var epochs = CommonOptions.Epochs();
        var command = new Command("train", "Train a detector (scaler, VAE, threshold) and save it as one checkpoint file.")
        {
            input, output, schema, config, window, epochs,
        };

        command.SetAction(parse =>
        {
            CommonOptions.StartTorch();
            DetectorSettings settings = CommonOptions.LoadDetectorSettings(parse.GetValue(config), parse.GetValue(window), parse.GetValue(epochs));
            FeatureSchema? featureSchema = CommonOptions.LoadSchema(parse.GetValue(schema));
            FileInfo source = parse.GetValue(input)!;
            (FeatureTable table, DetectorProfile profile) = DetectorTrainer.ReadTrainingRows(source.FullName, featureSchema, settings);

            Console.WriteLine($"Training on {table.Rows} rows × {table.Schema.FeatureCount} features (window {table.Schema.Window}) from {source.Name}, settings profile '{profile.Name}'.");
            var view = new TrainingProgressView(Console.Out, "train");
            using AnomalyDetector detector = view.Run(progress => DetectorTrainer.Train(table, profile.Options, progress: progress));
            string path = parse.GetValue(output)!.FullName;
            ModelCheckpoint.Save(detector, path);
            ModelMetadata m = detector.Metadata;
            Console.WriteLine($"Saved {path}: {m.EpochsRun} epochs (best {m.BestEpoch}) in {m.DurationSeconds:F1}s, " +
                $"threshold {detector.Threshold.Value:G6} ({detector.Threshold.Method}), schema {detector.Schema.ComputeHash()}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
