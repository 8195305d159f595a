using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scaling;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Training;
using VaeStream.Model.Windowing;

namespace VaeStream.Model.Detection;

/// <summary>
/// Builds a detector from training rows: imputation means and scaler fitted on those rows only, the VAE trained
/// with early stopping on their tail, and the threshold calibrated on scores of that tail (no labels).
/// </summary>
public static class DetectorTrainer
{
    /// <summary>
    /// Reads training rows from a file. Without a schema every CSV column is a feature, and the settings' window
    /// applies; an explicit schema's own window wins.
    /// </summary>
    public static FeatureTable ReadTrainingRows(string path, FeatureSchema? schema, DetectorOptions options)
    {
        FeatureTable table = FeatureTable.Read(path, schema);
        return schema is not null || table.Schema.Window == options.Window
            ? table
            : new FeatureTable(table.Schema with { Window = options.Window }, table.Values, table.EntityKeys);
    }

    /// <summary>Trains a detector on <paramref name="table"/>.</summary>
    public static AnomalyDetector Train(FeatureTable table, DetectorOptions options, int version = 1,
        IProgress<EpochResult>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        FeatureSchema schema = table.Schema;
        int rows = table.Rows;
        float[] means = RowPreparer.ImputationMeans(table);
        FeatureScaler scaler = FeatureScaler.Fit(table.Values, schema.FeatureCount, options.Scaler.Kind, options.Scaler.MinScale,
            options.Scaler.Clip, options.Scaler.RelativeMinScale);

        var preparer = new RowPreparer(schema, scaler, means);
        float[] inputs = new float[rows * schema.InputWidth];
        float[] row = new float[schema.FeatureCount];
        for (int r = 0; r < rows; r++)
        {
            table.Row(r).CopyTo(row);
            preparer.Prepare(table.EntityKey(r), row, inputs.AsSpan(r * schema.InputWidth, schema.InputWidth));
        }

        var network = new VariationalAutoencoder(schema.InputWidth, options.Network, options.Training.Seed);
        try
        {
            TrainingResult result = VaeTrainer.Train(network, inputs, rows, options.Training, progress, cancellationToken);
            var metadata = new ModelMetadata
            {
                Version = version,
                CreatedAt = DateTimeOffset.UtcNow,
                TrainingRows = rows,
                EpochsRun = result.EpochsRun,
                BestEpoch = result.BestEpoch,
                TrainLosses = result.TrainLosses,
                ValidationLosses = result.ValidationLosses,
                DurationSeconds = result.Duration.TotalSeconds,
                Seed = options.Training.Seed,
            };

            var placeholder = new ThresholdState(ThresholdMethod.Fixed, double.PositiveInfinity, 0);
            var unthresholded = new AnomalyDetector(schema, means, scaler, network, options.Scoring, placeholder, options, metadata);
            double[] calibration = CalibrationScores(unthresholded, inputs, rows, options);
            ThresholdState threshold = ThresholdFitter.Fit(calibration, options.Threshold);
            return new AnomalyDetector(schema, means, scaler, network, options.Scoring, threshold, options, metadata);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static double[] CalibrationScores(AnomalyDetector detector, float[] inputs, int rows, DetectorOptions options)
    {
        int width = detector.Schema.InputWidth;
        int validationRows = Math.Max(1, (int)(rows * options.Training.ValidationFraction));
        int first = options.Threshold.CalibrateOn == CalibrationSource.ValidationTail ? rows - validationRows : 0;
        int count = rows - first;
        var scores = new double[count];
        const int chunk = 4096;
        var batch = new ScoreBatch(chunk, detector.Schema.FeatureCount);
        for (int start = 0; start < count; start += chunk)
        {
            int size = Math.Min(chunk, count - start);
            float[] slice = inputs.AsSpan((first + start) * width, size * width).ToArray();
            detector.Score(slice, size, batch);
            for (int i = 0; i < size; i++)
            {
                scores[start + i] = batch.Scores[i];
            }
        }

        return scores;
    }
}
