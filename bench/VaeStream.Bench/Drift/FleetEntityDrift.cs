using System.Globalization;
using VaeStream.Evaluation.Datasets;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Scaling;
using VaeStream.Testing;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Bench.Drift;

/// <summary>
/// How often the worker's entity drift speaks on real data: a labelled set's entities (SMD machines, ASD servers) are
/// taken as one fleet, as the worker would see them. One model is trained on their training rows, interleaved row by
/// row; each entity's test rows are then scored in order and its unflagged rows go through the worker's own
/// <see cref="EntityDriftMonitor"/>. Each declaration is listed with whether a labelled row lies within 200 rows.
/// </summary>
internal static class FleetEntityDrift
{
    private const int LabelReach = 200;

    public static void Run(string directory, PipelineOptions options, TextWriter output)
    {
        IReadOnlyList<LabelledEntity> entities = LabelledEntity.Discover(directory);
        List<FeatureTable> trains = [.. entities.Select(e => FeatureTable.Read(e.TrainPath, null))];
        FeatureSchema schema = trains[0].Schema;
        int features = schema.FeatureCount;
        DetectorProfile profile = DetectorSettings.Load(Path.Combine(RepositoryRoot.Path, "config", "model.json")).For(features, 1);
        output.WriteLine($"{entities.Count} entities of {directory} as one fleet; profile '{profile.Name}' for {features} features; " +
            $"EntityDriftRows {options.EntityDriftRows}, EntityDriftFactor {options.EntityDriftFactor}, EntityDriftMinShift {options.EntityDriftMinShift}");
        using AnomalyDetector detector = DetectorTrainer.Train(Interleaved(schema, entities, trains), profile.Options);

        var monitor = new EntityDriftMonitor(features, options);
        // |value − expected| of unflagged rows in event units, per feature: the fleet model's and the entity's own.
        var fleetGaps = Enumerable.Range(0, features).Select(_ => new List<double>()).ToArray();
        var entityGaps = Enumerable.Range(0, features).Select(_ => new List<double>()).ToArray();
        var normalValues = Enumerable.Range(0, features).Select(_ => new List<double>()).ToArray();
        float[] own = new float[features];
        int declared = 0, nearLabel = 0;
        long rows = 0;
        foreach (LabelledEntity entity in entities)
        {
            FeatureTable test = FeatureTable.Read(entity.TestPath, schema);
            bool[] labels = LabelledEntity.ReadLabels(entity.LabelPath);
            TableScores scores = detector.ScoreTable(test);
            int flagged = 0;
            var found = new List<string>();
            for (int i = 0; i < test.Rows; i++)
            {
                if (scores.Scores[i] > detector.Threshold.Value)
                {
                    flagged++;
                    continue;
                }

                ReadOnlySpan<float> expected = scores.Expected.AsSpan(i * features, features);
                expected.CopyTo(own);
                monitor.ToEntityNormal(entity.Name, own, detector);
                for (int k = 0; k < features; k++)
                {
                    double value = detector.ValueInEventUnits(k, test.Values[i * features + k]);
                    normalValues[k].Add(value);
                    fleetGaps[k].Add(Math.Abs(value - detector.ExpectedInEventUnits(k, expected[k])));
                    entityGaps[k].Add(Math.Abs(value - detector.ExpectedInEventUnits(k, own[k])));
                }

                if (monitor.Observe(entity.Name, test.Values.AsSpan(i * features, features), scores.Expected.AsSpan(i * features, features), detector) is { } moved)
                {
                    bool labelled = labels.AsSpan(Math.Max(0, i - LabelReach), Math.Min(labels.Length, i + LabelReach) - Math.Max(0, i - LabelReach)).Contains(true);
                    nearLabel += labelled ? 1 : 0;
                    found.Add(string.Create(CultureInfo.InvariantCulture, $"row {i}{(labelled ? "*" : "")} {schema.Features[moved[0].Feature].Name} {moved[0].Shift:F2}"));
                }
            }

            declared += found.Count;
            rows += test.Rows;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entity.Name}: {test.Rows} rows, {flagged / (double)test.Rows:P1} flagged, {labels.Count(l => l) / (double)labels.Length:P1} labelled; {found.Count} entity drifts{(found.Count > 0 ? ": " : "")}{string.Join("; ", found)}"));
        }

        double[] spread = [.. normalValues.Select(v => { double mean = v.Average(); return Math.Sqrt(v.Average(x => (x - mean) * (x - mean))); })];
        double[] fleetRatio = [.. Enumerable.Range(0, features).Select(k => Quantiles.Of(fleetGaps[k], 0.5) / spread[k]).Where(double.IsFinite)];
        double[] entityRatio = [.. Enumerable.Range(0, features).Select(k => Quantiles.Of(entityGaps[k], 0.5) / spread[k]).Where(double.IsFinite)];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"expected values of unflagged rows, median |value − expected| ÷ spread, mean over {fleetRatio.Length} varying features: fleet model {fleetRatio.Average():F3} ({fleetRatio.Count(r => r <= 0.5)} at most 0.5), with each entity's usual residual {entityRatio.Average():F3} ({entityRatio.Count(r => r <= 0.5)} at most 0.5)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{declared} entity drifts over {rows:N0} test rows ({declared * 10_000.0 / rows:F1} per 10,000 rows of an entity); {nearLabel} within {LabelReach} rows of a labelled row (marked *)"));
    }

    // Row i of every entity, then row i + 1: a fleet's events as they arrive, so the trainer's held-out tail holds them all.
    private static FeatureTable Interleaved(FeatureSchema schema, IReadOnlyList<LabelledEntity> entities, List<FeatureTable> trains)
    {
        int features = schema.FeatureCount;
        var values = new List<float>();
        var keys = new List<string?>();
        for (int i = 0; i < trains.Max(t => t.Rows); i++)
        {
            for (int e = 0; e < trains.Count; e++)
            {
                if (i < trains[e].Rows)
                {
                    values.AddRange(trains[e].Values.AsSpan(i * features, features));
                    keys.Add(entities[e].Name);
                }
            }
        }

        return new FeatureTable(schema, [.. values], [.. keys]);
    }
}
