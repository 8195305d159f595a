using System.Diagnostics;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Windowing;
using VaeStream.Simulation;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// Scoring speed by batch size, in this run (a quick sweep; the BenchmarkDotNet micro-benchmarks measure it with
/// warm-ups and statistics). The pre-trained model scores the same 16,384 events at each batch size.
/// </summary>
internal static class ScoringSweep
{
    public static List<(int BatchSize, double EventsPerSecond)> Run(string checkpoint, FeatureSchema schema)
    {
        const int events = 16_384;
        using AnomalyDetector detector = VaeStream.Model.Checkpoints.ModelCheckpoint.Load(checkpoint, schema);
        var extractor = new JsonFeatureExtractor(schema);
        RowPreparer preparer = detector.CreatePreparer();
        float[] inputs = new float[events * schema.InputWidth];
        float[] row = new float[schema.FeatureCount];
        int i = 0;
        foreach (GeneratedEvent e in new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 9).Generate(events))
        {
            string? entity = extractor.Extract(e.Value, row).EntityKey;
            preparer.Prepare(entity, row, inputs.AsSpan(i++ * schema.InputWidth, schema.InputWidth));
        }

        var points = new List<(int, double)>();
        foreach (int batchSize in new[] { 1, 16, 64, 256, 1024, 4096 })
        {
            float[][] batches = inputs.Chunk(batchSize * schema.InputWidth).ToArray();
            var output = new ScoreBatch(batchSize, schema.FeatureCount);
            int repeats = batchSize == 1 ? 1 : 3;
            detector.Score(batches[0], batchSize, output); // warm-up
            var clock = Stopwatch.StartNew();
            for (int r = 0; r < repeats; r++)
            {
                foreach (float[] batch in batchSize == 1 ? batches[..2048] : batches)
                {
                    detector.Score(batch, batchSize, output);
                }
            }

            int scored = repeats * (batchSize == 1 ? 2048 : events);
            points.Add((batchSize, scored / clock.Elapsed.TotalSeconds));
        }

        return points;
    }
}
