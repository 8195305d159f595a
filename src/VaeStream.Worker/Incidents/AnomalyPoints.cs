using System.Text;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Incidents;

/// <summary>Builds what the incident tracker keeps of a flagged event, and the entity an event belongs to.</summary>
public static class AnomalyPoints
{
    /// <summary>The schema's entity key, else the input key as text, else <c>(no key)</c>.</summary>
    public static string Entity(string? entityKey, byte[]? key) =>
        entityKey ?? (key is null ? "(no key)" : Encoding.UTF8.GetString(key));

    /// <summary>A flagged event with its <paramref name="top"/> leading features in the event's units.</summary>
    public static AnomalyPoint Of(InputEvent source, DateTimeOffset eventTime, AnomalyDetector detector, float score,
        ReadOnlySpan<float> row, ReadOnlySpan<float> contributions, ReadOnlySpan<float> expected, int top)
    {
        int[] leading = AnomalyMessageWriter.TopIndices(contributions, top);
        var features = new FeatureContribution[leading.Length];
        for (int k = 0; k < leading.Length; k++)
        {
            int f = leading[k];
            features[k] = new FeatureContribution(detector.Schema.Features[f].Name, score > 0 ? contributions[f] / score : 0,
                (float)detector.ValueInEventUnits(f, row[f]), (float)detector.ExpectedInEventUnits(f, expected[f]));
        }

        return new AnomalyPoint(new SourcePosition(source.Topic, source.Partition, source.Offset), eventTime, score,
            detector.Threshold.Value, detector.Id, features, source.Value);
    }

    /// <summary>The drift declaration as the first point of a drift incident: score is the flagged share, threshold the risk.</summary>
    public static AnomalyPoint Drift(InputEvent source, DateTimeOffset eventTime, AnomalyDetector detector, double flaggedShare,
        IReadOnlyList<(string Feature, double Shift)> moved)
    {
        double total = moved.Sum(m => Math.Abs(m.Shift));
        FeatureContribution[] features = [.. moved.Select(m => new FeatureContribution(m.Feature, total > 0 ? (float)(Math.Abs(m.Shift) / total) : 0, (float)m.Shift, 0))];
        return new AnomalyPoint(new SourcePosition(source.Topic, source.Partition, source.Offset), eventTime, (float)flaggedShare,
            detector.Options.Threshold.Risk, detector.Id, features, source.Value);
    }
}
