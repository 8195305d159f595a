using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using VaeStream.Evaluation.Datasets;
using VaeStream.Evaluation.Metrics;

namespace VaeStream.Bench.Peers;

/// <summary>One detector's figures on one entity under the shared protocol.</summary>
internal sealed record PeerEntityResult(string Entity, int TestRows, PrecisionRecall Point, PrecisionRecall Adjusted, double AveragePrecision,
    double TrainSeconds, double ScoreSeconds);

/// <summary>
/// ML.NET's RandomizedPca anomaly detector under the data README's protocol: standardized with train statistics,
/// fitted on train only, threshold at the 99.5% quantile of train scores, every test row scored in order.
/// </summary>
internal static class RandomizedPcaPeer
{
    public static PeerEntityResult Evaluate(LabelledEntity entity, int rank)
    {
        float[][] train = ReadRows(entity.TrainPath);
        float[][] test = ReadRows(entity.TestPath);
        bool[] labels = LabelledEntity.ReadLabels(entity.LabelPath);
        int features = train[0].Length;
        (float[] mean, float[] scale) = Standardizer(train);
        Standardize(train, mean, scale);
        Standardize(test, mean, scale);

        var ml = new MLContext(seed: 1);
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        IDataView trainView = ml.Data.LoadFromEnumerable(train.Select(r => new Row { Features = r }), schema);
        var clock = Stopwatch.StartNew();
        ITransformer model = ml.AnomalyDetection.Trainers.RandomizedPca(nameof(Row.Features), rank: Math.Min(rank, features - 1), seed: 1).Fit(trainView);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        float[] trainScores = Scores(model.Transform(trainView));
        IDataView testView = ml.Data.LoadFromEnumerable(test.Select(r => new Row { Features = r }), schema);
        clock.Restart();
        float[] scores = Scores(model.Transform(testView));
        double scoreSeconds = clock.Elapsed.TotalSeconds;

        Array.Sort(trainScores);
        float threshold = trainScores[Math.Min(trainScores.Length - 1, (int)Math.Ceiling(0.995 * trainScores.Length) - 1)];
        bool[] predicted = scores.Select(s => s > threshold).ToArray();
        return new PeerEntityResult(entity.Name, test.Length, DetectionMetrics.PointWise(predicted, labels),
            DetectionMetrics.PointAdjusted(predicted, labels), DetectionMetrics.AveragePrecision(scores, labels), trainSeconds, scoreSeconds);
    }

    private static float[] Scores(IDataView scored) => scored.GetColumn<float>("Score").ToArray();

    private static float[][] ReadRows(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    private static (float[] Mean, float[] Scale) Standardizer(float[][] rows)
    {
        int f = rows[0].Length;
        float[] mean = new float[f], scale = new float[f];
        for (int j = 0; j < f; j++)
        {
            double m = rows.Average(r => r[j]);
            double sd = Math.Sqrt(rows.Average(r => (r[j] - m) * (r[j] - m)));
            mean[j] = (float)m;
            scale[j] = sd > 1e-6 ? (float)sd : 1f; // constant train columns stay unscaled, as scikit-learn's StandardScaler does
        }

        return (mean, scale);
    }

    private static void Standardize(float[][] rows, float[] mean, float[] scale)
    {
        foreach (float[] row in rows)
        {
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = (row[j] - mean[j]) / scale[j];
            }
        }
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }
}
