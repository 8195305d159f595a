using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scaling;
using VaeStream.Model.Scoring;
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
    /// Reads training rows from a file and picks the settings profile for their width. Without a schema every CSV
    /// column is a feature, and the profile's window applies; an explicit schema's own window wins.
    /// </summary>
    public static (FeatureTable Table, DetectorProfile Profile) ReadTrainingRows(string path, FeatureSchema? schema, DetectorSettings settings)
    {
        FeatureTable table = FeatureTable.Read(path, schema);
        DetectorProfile profile = settings.For(table.Schema.FeatureCount, schema?.Window);
        int window = profile.Options.Window;
        return schema is not null || table.Schema.Window == window
            ? (table, profile)
            : (new FeatureTable(table.Schema with { Window = window }, table.Values, table.EntityKeys), profile);
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

        // Each prepared input carries its own window, so reordering them keeps every row's history.
        int[]? order = HoldoutOrder.Of(rows, options.Training.ValidationRows(rows), options.Training.Holdout);
        if (order is not null)
        {
            inputs = RowMajor.Gather(inputs, schema.InputWidth, order);
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

            int validationRows = options.Training.ValidationRows(rows);
            var placeholder = new ThresholdState(ThresholdMethod.Fixed, double.PositiveInfinity, 0);
            float[] residualScale = FitResidualScale(schema, means, scaler, network, metadata, options, inputs, rows - validationRows, validationRows);
            var unthresholded = new AnomalyDetector(schema, means, scaler, network, options.Scoring, residualScale, placeholder, options, metadata);
            double[] calibration = CalibrationScores(unthresholded, table, order, inputs, validationRows, options);
            ThresholdState threshold = ThresholdFitter.Fit(calibration, options.Threshold);
            return new AnomalyDetector(schema, means, scaler, network, options.Scoring, residualScale, threshold, options, metadata,
                [.. calibration.Select(c => (float)c)]);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    // The residual scale comes from the held-out tail, which the network did not fit: on rows it trained on, a
    // flexible network's errors understate how well it reconstructs normal data it has not seen.
    private static float[] FitResidualScale(FeatureSchema schema, float[] means, FeatureScaler scaler, VariationalAutoencoder network,
        ModelMetadata metadata, DetectorOptions options, float[] inputs, int first, int count)
    {
        int features = schema.FeatureCount;
        var placeholder = new ThresholdState(ThresholdMethod.Fixed, double.PositiveInfinity, 0);
        var plain = new AnomalyDetector(schema, means, scaler, network, options.Scoring with { Kind = ScoreKind.Mse }, null, placeholder, options, metadata);
        float[] actual = new float[count * features];
        float[] expected = new float[count * features];
        ScoreRows(plain, inputs, first, count, (start, size, batch) =>
        {
            batch.Expected.AsSpan(0, size * features).CopyTo(expected.AsSpan(start * features));
            for (int i = 0; i < size; i++)
            {
                inputs.AsSpan((first + start + i + 1) * schema.InputWidth - features, features).CopyTo(actual.AsSpan((start + i) * features));
            }
        });
        return ResidualScale.Fit(actual, expected, count, features, options.Scoring.ResidualFloor);
    }

    // Calibration scores are smoothed per entity exactly as the detector will smooth the scores it is applied to,
    // starting afresh at the first calibration row.
    private static double[] CalibrationScores(AnomalyDetector detector, FeatureTable table, int[]? order, float[] inputs, int validationRows, DetectorOptions options)
    {
        int rows = table.Rows;
        int features = table.Schema.FeatureCount;
        int first = options.Threshold.CalibrateOn == CalibrationSource.ValidationTail ? rows - validationRows : 0;
        var scores = new double[rows - first];
        RowPreparer smoother = detector.CreatePreparer();
        ScoreRows(detector, inputs, first, rows - first, (start, size, batch) =>
        {
            for (int i = 0; i < size; i++)
            {
                int r = first + start + i;
                smoother.Smooth(table.EntityKey(order?[r] ?? r), ref batch.Scores[i], batch.Contributions.AsSpan(i * features, features));
                scores[start + i] = batch.Scores[i];
            }
        });
        return scores;
    }

    // Scores prepared inputs [first, first + count) in chunks; each chunk's results go to the callback with the
    // chunk's offset from first.
    private static void ScoreRows(AnomalyDetector detector, float[] inputs, int first, int count, Action<int, int, ScoreBatch> scored)
    {
        int width = detector.Schema.InputWidth;
        const int chunk = 4096;
        var batch = new ScoreBatch(chunk, detector.Schema.FeatureCount);
        float[] slice = new float[chunk * width];
        for (int start = 0; start < count; start += chunk)
        {
            int size = Math.Min(chunk, count - start);
            inputs.AsSpan((first + start) * width, size * width).CopyTo(slice);
            detector.Score(slice, size, batch);
            scored(start, size, batch);
        }
    }
}
