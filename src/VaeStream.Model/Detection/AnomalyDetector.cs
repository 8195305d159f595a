using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scaling;
using VaeStream.Model.Scoring;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Windowing;

namespace VaeStream.Model.Detection;

/// <summary>Scores of a whole table, in row order.</summary>
/// <param name="Scores">One score per row.</param>
/// <param name="Contributions">Row-major per-feature contributions.</param>
/// <param name="Expected">Row-major reconstructions, in scaled units.</param>
public sealed record TableScores(float[] Scores, float[] Contributions, float[] Expected);

/// <summary>
/// A trained detector: schema, imputation means, scaler, VAE, scoring rule and threshold. Scoring is
/// synchronous and must not run concurrently on one instance; a retrain builds a new instance.
/// </summary>
public sealed class AnomalyDetector : IDisposable
{
    private const int TableBatchRows = 4096;

    private readonly VaeScorer scorer;

    /// <summary>
    /// Assembles a detector from its parts; the network is owned and disposed with it. <paramref name="residualScale"/>
    /// is null only for models saved before it existed, which cannot use <see cref="ScoreKind.Weighted"/>.
    /// </summary>
    internal AnomalyDetector(FeatureSchema schema, float[] imputationMeans, FeatureScaler scaler, VariationalAutoencoder network,
        ScoringOptions scoring, float[]? residualScale, ThresholdState threshold, DetectorOptions options, ModelMetadata metadata,
        float[]? calibrationScores = null)
    {
        CalibrationScores = calibrationScores;
        Schema = schema;
        ImputationMeans = imputationMeans;
        Scaler = scaler;
        Network = network;
        ResidualScale = residualScale;
        Threshold = threshold;
        Options = options;
        Metadata = metadata;
        scorer = new VaeScorer(network, schema.FeatureCount, scoring, residualScale);
    }

    /// <summary>The input schema.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Training means, used for missing values.</summary>
    public float[] ImputationMeans { get; }

    /// <summary>The fitted scaler.</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>The VAE.</summary>
    internal VariationalAutoencoder Network { get; }

    /// <summary>The scoring rule.</summary>
    public ScoringOptions Scoring => scorer.Options;

    /// <summary>Per feature, the spread of its reconstruction error on held-out training rows (scaled units).</summary>
    public float[]? ResidualScale { get; }

    /// <summary>
    /// What the score multiplies a feature's squared error (in scaled units) by: 1 / scale² for the weighted score,
    /// else 1. Comparing two models' errors needs it.
    /// </summary>
    public double ErrorWeight(int feature) =>
        Scoring.Kind == ScoreKind.Weighted ? 1.0 / ((double)ResidualScale![feature] * ResidualScale[feature]) : 1.0;

    /// <summary>
    /// The held-out scores, in row order, that the threshold was fitted on: where a streaming threshold (SPOT) that
    /// goes on learning from a stream's own peaks starts. Null for models saved before checkpoint format 3.
    /// </summary>
    public float[]? CalibrationScores { get; }

    /// <summary>The fitted threshold; a row scoring above it is an anomaly.</summary>
    public ThresholdState Threshold { get; }

    /// <summary>The options it was built with (a retrain reuses them).</summary>
    public DetectorOptions Options { get; }

    /// <summary>Version and training provenance.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>SHA-256 (hex) of the checkpoint file this detector was saved as or loaded from, once known.</summary>
    /// <remarks>Set by whoever saves or loads it, before it scores: the file cannot hold its own digest.</remarks>
    public string? CheckpointDigest { get; set; }

    /// <summary>
    /// The model's id in output messages: the version plus the checkpoint digest's first 8 hex digits, <c>v12-3fa9c2e1</c>.
    /// Versions count per checkpoint directory; the digest tells apart two replicas' (or two directories') version 12.
    /// </summary>
    public string Id => CheckpointDigest is { Length: >= 8 } digest ? $"v{Metadata.Version}-{digest[..8]}" : $"v{Metadata.Version}";

    /// <summary>A fresh per-entity preparer bound to this detector's scaler, means and score smoothing.</summary>
    public RowPreparer CreatePreparer(int maxEntities = 100_000) => new(Schema, Scaler, ImputationMeans, maxEntities, Scoring.Smoothing);

    /// <summary>Points <paramref name="preparer"/>, made for an earlier detector, at this one.</summary>
    public void Bind(RowPreparer preparer) => preparer.Rebind(Scaler, ImputationMeans, Scoring.Smoothing);

    /// <summary>Scores <paramref name="rows"/> prepared model inputs.</summary>
    public void Score(float[] inputs, int rows, ScoreBatch output) =>
        scorer.Score(inputs, rows, output.Scores, output.Contributions, output.Expected);

    /// <summary>The expected value of a feature in the event's own units.</summary>
    public double ExpectedInEventUnits(int feature, float scaledExpected) =>
        FeatureTransforms.Invert(Schema.Features[feature].Transform, Scaler.Inverse(feature, scaledExpected));

    /// <summary>A feature's value (as extracted, i.e. transformed) back in the event's own units.</summary>
    public double ValueInEventUnits(int feature, float transformedValue) =>
        FeatureTransforms.Invert(Schema.Features[feature].Transform, transformedValue);

    /// <summary>
    /// Prepares and scores every row of a table in order, with its own per-entity history; scores (and their
    /// contributions) are smoothed per entity as the scoring options say, as the threshold was calibrated.
    /// </summary>
    public TableScores ScoreTable(FeatureTable table)
    {
        int features = Schema.FeatureCount;
        int rows = table.Rows;
        var result = new TableScores(new float[rows], new float[rows * features], new float[rows * features]);
        RowPreparer preparer = CreatePreparer();
        var batch = new ScoreBatch(TableBatchRows, features);
        float[] inputs = new float[TableBatchRows * Schema.InputWidth];
        float[] row = new float[features];
        for (int start = 0; start < rows; start += TableBatchRows)
        {
            int count = Math.Min(TableBatchRows, rows - start);
            for (int i = 0; i < count; i++)
            {
                table.Row(start + i).CopyTo(row);
                preparer.Prepare(table.EntityKey(start + i), row, inputs.AsSpan(i * Schema.InputWidth, Schema.InputWidth));
            }

            Score(inputs, count, batch);
            for (int i = 0; i < count; i++)
            {
                preparer.Smooth(table.EntityKey(start + i), ref batch.Scores[i], batch.Contributions.AsSpan(i * features, features));
            }

            batch.Scores.AsSpan(0, count).CopyTo(result.Scores.AsSpan(start));
            batch.Contributions.AsSpan(0, count * features).CopyTo(result.Contributions.AsSpan(start * features));
            batch.Expected.AsSpan(0, count * features).CopyTo(result.Expected.AsSpan(start * features));
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
