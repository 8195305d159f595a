using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using VaeStream.Worker.Hosting;

namespace VaeStream.Bench;

/// <summary>What every benchmark starts from: the ops schema, the ops model settings, and tables of generated events.</summary>
internal static class BenchInputs
{
    public static FeatureSchema OpsSchema() => FeatureSchema.Load(VaeStreamHostingExtensions.ResolvePath("config/schemas/ops-event.json"));

    /// <summary>The shipped settings' profile for the ops schema's width, as the worker picks it.</summary>
    public static DetectorOptions OpsModelOptions() =>
        DetectorSettings.Load(VaeStreamHostingExtensions.ResolvePath("config/model.json")).For(OpsSchema()).Options;

    /// <summary>The feature rows (and entity keys, where the schema has them) of <paramref name="rows"/> generated events.</summary>
    public static FeatureTable Table(FeatureSchema schema, int rows, int hosts, int seed)
    {
        var extractor = new JsonFeatureExtractor(schema);
        float[] values = new float[rows * schema.FeatureCount];
        string?[] entities = new string?[rows];
        int i = 0;
        foreach (GeneratedEvent e in new OpsEventGenerator(hosts, anomalyRate: 0.01, seed).Generate(rows))
        {
            entities[i] = extractor.Extract(e.Value, values.AsSpan(i * schema.FeatureCount, schema.FeatureCount)).EntityKey;
            i++;
        }

        return new FeatureTable(schema, values, schema.EntityKeyPath is null ? null : entities);
    }
}
