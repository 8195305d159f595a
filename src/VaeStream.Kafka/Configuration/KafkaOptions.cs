using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Kafka.Configuration;

/// <summary>The <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Kafka";

    /// <summary>Comma-separated host:port list. Empty means "not configured": <c>vaestream run</c> explains how to get a broker.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Consumer group; replicas with the same id share the input partitions.</summary>
    [Required]
    [MinLength(1)]
    public string GroupId { get; set; } = "vaestream";

    /// <summary>Input topics; an entry starting with <c>^</c> is a regular expression.</summary>
    [Required]
    [MinLength(1)]
    public List<string> InputTopics { get; set; } = ["events"];

    /// <summary>Where anomalies are published.</summary>
    [Required]
    [MinLength(1)]
    public string AnomalyTopic { get; set; } = "anomalies";

    /// <summary>Where events that cannot be scored are published, with the reason in headers.</summary>
    [Required]
    [MinLength(1)]
    public string DeadLetterTopic { get; set; } = "events.dead-letter";

    /// <summary>librdkafka properties passed through to both clients (SASL, TLS, ...); they win over the defaults.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>How long a revoked partition's in-flight events may take to finish before their offsets are given up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RevokeDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consumer poll timeout; also how quickly pause/resume and offset stores react.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>Source-generated validation of <see cref="KafkaOptions"/>.</summary>
[OptionsValidator]
public sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>;
