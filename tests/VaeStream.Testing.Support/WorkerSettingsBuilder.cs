using System.Globalization;
using System.Text.Json.Nodes;

namespace VaeStream.Testing;

/// <summary>
/// A worker's configuration as flat keys (<c>Kafka:BootstrapServers</c>, <c>Kafka:InputTopics:0</c>, ...): for the host's
/// in-memory overrides (<see cref="ToDictionary"/>), a settings file (<see cref="WriteJson"/>) or environment variables.
/// A later value of a key replaces the earlier one.
/// </summary>
public sealed class WorkerSettingsBuilder
{
    private readonly Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The broker, the consumer group, the input topics and the three output topics.</summary>
    public WorkerSettingsBuilder Kafka(string bootstrapServers, string groupId, IEnumerable<string> inputTopics,
        string anomalyTopic, string deadLetterTopic, string incidentTopic)
    {
        Set("Kafka:BootstrapServers", bootstrapServers);
        Set("Kafka:GroupId", groupId);
        int i = 0;
        foreach (string topic in inputTopics)
        {
            Set($"Kafka:InputTopics:{i++}", topic);
        }

        Set("Kafka:AnomalyTopic", anomalyTopic);
        Set("Kafka:DeadLetterTopic", deadLetterTopic);
        return Set("Kafka:IncidentTopic", incidentTopic);
    }

    /// <summary>A librdkafka property passed through to the worker's clients (<c>Kafka:Properties</c>).</summary>
    public WorkerSettingsBuilder KafkaProperty(string name, string value) => Set($"Kafka:Properties:{name}", value);

    public WorkerSettingsBuilder Checkpoints(string directory) => Set("Checkpoints:Directory", directory);

    /// <summary>No retrain by count or by time: the worker trains its first model and keeps it.</summary>
    public WorkerSettingsBuilder RetrainingOff() => Set("Retraining:RetrainEveryEvents", 0).Set("Retraining:RetrainInterval", TimeSpan.Zero);

    /// <summary>No operations endpoint (/metrics, /healthz, /readyz).</summary>
    public WorkerSettingsBuilder OperationsOff() => Set("Operations:Enabled", false);

    public WorkerSettingsBuilder Set(string key, string? value)
    {
        values[key] = value;
        return this;
    }

    public WorkerSettingsBuilder Set(string key, int value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    public WorkerSettingsBuilder Set(string key, bool value) => Set(key, value ? "true" : "false");

    /// <summary>A duration as configuration binds it, <c>hh:mm:ss</c> (the "c" format).</summary>
    public WorkerSettingsBuilder Set(string key, TimeSpan value) => Set(key, value.ToString("c", CultureInfo.InvariantCulture));

    /// <summary>Every entry of <paramref name="extra"/>, over what is set.</summary>
    public WorkerSettingsBuilder With(IEnumerable<KeyValuePair<string, string?>>? extra)
    {
        foreach ((string key, string? value) in extra ?? [])
        {
            Set(key, value);
        }

        return this;
    }

    public string? this[string key] => values.GetValueOrDefault(key);

    public Dictionary<string, string?> ToDictionary() => new(values, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Writes the settings as a JSON file in the shape of config/appsettings.json (sections as objects, numbered keys
    /// as arrays), which configuration reads back as the same keys; returns <paramref name="path"/>.
    /// </summary>
    public string WriteJson(string path)
    {
        var root = new JsonObject(new JsonNodeOptions { PropertyNameCaseInsensitive = true });
        foreach ((string key, string? value) in values)
        {
            string[] parts = key.Split(':');
            JsonObject section = root;
            foreach (string part in parts[..^1])
            {
                if (section[part] is not JsonObject child)
                {
                    if (section.ContainsKey(part))
                    {
                        throw new InvalidOperationException($"'{key}' is below a key that has a value");
                    }

                    child = new JsonObject(new JsonNodeOptions { PropertyNameCaseInsensitive = true });
                    section[part] = child;
                }

                section = child;
            }

            section[parts[^1]] = value;
        }

        File.WriteAllText(path, Arrays(root)!.ToJsonString());
        return path;
    }

    // Sections keyed 0, 1, ... n-1 become arrays, as the configuration keys of a JSON array are its indexes.
    private static JsonNode? Arrays(JsonNode? node)
    {
        if (node is not JsonObject section)
        {
            return node?.DeepClone();
        }

        var children = section.Select(p => (p.Key, Value: Arrays(p.Value))).ToList();
        var indexes = Enumerable.Range(0, children.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (children.Count > 0 && children.Select(c => c.Key).ToHashSet().SetEquals(indexes))
        {
            return new JsonArray([.. indexes.Select(i => children.Single(c => c.Key == i).Value)]);
        }

        var copy = new JsonObject();
        foreach ((string key, JsonNode? value) in children)
        {
            copy[key] = value;
        }

        return copy;
    }
}
