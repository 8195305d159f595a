using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.Demo;
using VaeStream.Worker.Hosting;

namespace VaeStream.Bench.Pipeline;

/// <summary>A model trained before the runs start, saved as version 1 where the worker looks for checkpoints.</summary>
internal static class PretrainedModel
{
    public static TimeSpan Write(string checkpoints, FeatureSchema schema, int rows, int hosts)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        DetectorOptions options = DetectorOptions.Load(VaeStreamHostingExtensions.ResolvePath("config/model.ops.json"));
        var extractor = new JsonFeatureExtractor(schema);
        var generator = new OpsEventGenerator(hosts, anomalyRate: 0.01, seed: 77);
        int features = schema.FeatureCount;
        float[] values = new float[rows * features];
        string?[] entities = new string?[rows];
        int i = 0;
        foreach (GeneratedEvent e in generator.Generate(rows))
        {
            ExtractedFields fields = extractor.Extract(e.Value, values.AsSpan(i * features, features));
            entities[i++] = fields.EntityKey;
        }

        using AnomalyDetector detector = DetectorTrainer.Train(new FeatureTable(schema, values, schema.EntityKeyPath is null ? null : entities), options);
        Directory.CreateDirectory(checkpoints);
        ModelCheckpoint.Save(detector, Path.Combine(checkpoints, "model-v000001.vae"));
        return started.Elapsed;
    }
}
