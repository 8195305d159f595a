using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Bench.Pipeline;

/// <summary>A model trained before the runs start, saved as version 1 where the worker looks for checkpoints.</summary>
internal static class PretrainedModel
{
    public static TimeSpan Write(string checkpoints, FeatureSchema schema, int rows, int hosts)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using AnomalyDetector detector = DetectorTrainer.Train(BenchInputs.Table(schema, rows, hosts, seed: 77), BenchInputs.OpsModelOptions());
        Directory.CreateDirectory(checkpoints);
        ModelCheckpoint.Save(detector, Path.Combine(checkpoints, "model-v000001.vae"));
        return started.Elapsed;
    }
}
