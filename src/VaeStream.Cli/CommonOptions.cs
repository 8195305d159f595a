using System.CommandLine;
using VaeStream.Model;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Cli;

/// <summary>Options shared by the offline commands, and how their values are turned into settings.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Schema() => new("--schema")
    {
        Description = "Feature schema JSON (see config/schemas). Without it, every CSV column is a feature.",
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "Model and training settings JSON. Default: config/model.json shipped beside the program.",
    };

    public static Option<int?> Window() => new("--window")
    {
        Description = "Rows per model input for schemas inferred from CSV (overrides the settings file).",
    };

    public static Option<int?> Epochs() => new("--epochs")
    {
        Description = "Maximum training epochs (overrides the settings file).",
    };

    /// <summary>The settings file, with the command line's window and epochs applied to every profile.</summary>
    public static DetectorSettings LoadDetectorSettings(FileInfo? config, int? window, int? epochs)
    {
        string path = config?.FullName ?? Path.Combine(AppContext.BaseDirectory, "config", "model.json");
        DetectorSettings settings = config is null && !File.Exists(path) ? DetectorSettings.Of(new DetectorOptions()) : DetectorSettings.Load(path);
        return settings.Select(options =>
        {
            if (window is not null)
            {
                options = options with { Window = window.Value };
            }

            return epochs is null ? options : options with { Training = options.Training with { Epochs = epochs.Value } };
        });
    }

    public static FeatureSchema? LoadSchema(FileInfo? schema) => schema is null ? null : FeatureSchema.Load(schema.FullName);

    public static void StartTorch() => TorchRuntime.Initialize(Environment.ProcessorCount);
}
