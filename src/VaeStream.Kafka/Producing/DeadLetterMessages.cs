using System.Globalization;
using System.Text;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Producing;

/// <summary>Why an event goes to the dead-letter topic: an error kind, the reason a person reads, and the field at fault.</summary>
public sealed record DeadLetter(string Kind, string Reason, string? Field = null);

/// <summary>
/// Dead letters carry the original key, value and headers untouched, plus headers that say why and where from,
/// so the event can be inspected and replayed.
/// </summary>
internal static class DeadLetterMessages
{
    /// <summary>Header with the human-readable reason.</summary>
    public const string ReasonHeader = "vaestream.error.reason";

    /// <summary>Header with the machine-readable error kind.</summary>
    public const string KindHeader = "vaestream.error.kind";

    /// <summary>Header with the offending field, when there is one.</summary>
    public const string FieldHeader = "vaestream.error.field";

    /// <summary>Headers with the source coordinates.</summary>
    public const string TopicHeader = "vaestream.source.topic";

    /// <summary>Source partition header.</summary>
    public const string PartitionHeader = "vaestream.source.partition";

    /// <summary>Source offset header.</summary>
    public const string OffsetHeader = "vaestream.source.offset";

    /// <summary>Source timestamp header (Unix milliseconds).</summary>
    public const string TimestampHeader = "vaestream.source.timestamp";

    /// <summary>Builds the dead letter for <paramref name="source"/>.</summary>
    internal static Message<byte[]?, byte[]> Create(InputEvent source, DeadLetter letter)
    {
        (string kind, string reason, string? field) = (letter.Kind, letter.Reason, letter.Field);
        var headers = new Headers();
        foreach (IHeader header in source.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(reason));
        headers.Add(KindHeader, Encoding.UTF8.GetBytes(kind));
        if (field is not null)
        {
            headers.Add(FieldHeader, Encoding.UTF8.GetBytes(field));
        }

        headers.Add(TopicHeader, Encoding.UTF8.GetBytes(source.Topic));
        headers.Add(PartitionHeader, Encoding.UTF8.GetBytes(source.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OffsetHeader, Encoding.UTF8.GetBytes(source.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(TimestampHeader, Encoding.UTF8.GetBytes(source.Timestamp.UnixTimestampMs.ToString(CultureInfo.InvariantCulture)));
        // A tombstone stays a tombstone: a null value, not the empty array the pipeline reads it as.
        return new Message<byte[]?, byte[]> { Key = source.Key, Value = source.IsTombstone ? null! : source.Value, Headers = headers, Timestamp = source.Timestamp };
    }
}
