using System.Text;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Detection;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Incidents;

/// <summary>Builds what the incident tracker keeps of a flagged event, and the entity an event belongs to.</summary>
internal static class AnomalyPoints
{
    /// <summary>The schema's entity key, else the input key as text, else <c>(no key)</c>.</summary>
    public static string Entity(string? entityKey, byte[]? key) =>
        entityKey ?? (key is null ? "(no key)" : Encoding.UTF8.GetString(key));

    /// <summary>The schema's timestamp field, else the input record's timestamp.</summary>
    public static DateTimeOffset EventTime(DateTimeOffset? eventTime, InputEvent source) => eventTime ?? source.Timestamp.UtcDateTime;

    /// <summary>A flagged event with the features that drove it.</summary>
    public static AnomalyPoint Of(InputEvent source, DateTimeOffset eventTime, AnomalyDetector detector, float score,
        IReadOnlyList<FeatureContribution> leading) =>
        new(new SourcePosition(source.Topic, source.Partition, source.Offset), eventTime, score, detector.Threshold.Value, detector.Id,
            leading, source.Value);

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
