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
    /// <remarks>
    /// No default here: the configuration binder appends to a list's initial items instead of replacing them, so
    /// the default (<c>events</c>) lives in config/appsettings.json.
    /// </remarks>
    [Required]
    [MinLength(1)]
    public List<string> InputTopics { get; set; } = [];

    /// <summary>Where anomalies are published.</summary>
    [Required]
    [MinLength(1)]
    public string AnomalyTopic { get; set; } = "anomalies";

    /// <summary>Where events that cannot be scored are published, with the reason in headers.</summary>
    [Required]
    [MinLength(1)]
    public string DeadLetterTopic { get; set; } = "events.dead-letter";

    /// <summary>
    /// Where incidents are published, keyed by incident id. Compacted, so the latest message of every incident is
    /// kept: a restarted worker reads it back to continue the incidents that were open.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string IncidentTopic { get; set; } = "incidents";

    /// <summary>librdkafka properties passed through to both clients (SASL, TLS, ...); they win over the defaults.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>How long a revoked partition's in-flight events may take to finish before their offsets are given up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RevokeDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the channel is full, how long the consume thread waits for room before it pauses the assignment.
    /// Short congestion (a retrain, a GC) then costs nothing: librdkafka keeps prefetching meanwhile, whereas a
    /// pause/resume cycle makes it refetch, which stalled delivery for about a second per cycle. Keep it far below
    /// max.poll.interval.ms (300 s by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BackpressureWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long <c>vaestream run</c> and <c>generate</c> wait at start for a broker to answer before they exit with
    /// code 2, naming the address.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// librdkafka warnings and errors of one kind (client and facility or error code) are logged at most once per
    /// this interval, with a count of those held back; 0 logs every one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClientErrorLogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consumer poll timeout; also how quickly pause/resume and offset stores react.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>Source-generated validation of <see cref="KafkaOptions"/>.</summary>
[OptionsValidator]
public sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>;
