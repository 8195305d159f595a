using System.Buffers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;
using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Aggregation;

/// <summary>
/// One entity's closed interval as the pipeline's input: scored, published and dead-lettered like an event, and
/// completed like one. Its completion completes each record it was built from, so an input offset is stored only
/// after the interval that holds it has been scored and its outputs acknowledged. Its value, the <c>event</c> of an
/// anomaly message, is the interval's features in the events' own units.
/// </summary>
internal sealed record IntervalInput : InputEvent
{
    private IntervalInput(ClosedInterval<InputEvent> interval, InputEvent first, byte[] value)
        : base(first.Topic, first.Partition, first.Offset, interval.Entity is null ? null : Encoding.UTF8.GetBytes(interval.Entity), value,
            null, new Timestamp(interval.End.UtcDateTime), first.Progress)
    {
        Interval = interval;
        ReceivedAt = interval.Members.Min(m => m.ReceivedAt);
    }

    /// <summary>The interval.</summary>
    public ClosedInterval<InputEvent> Interval { get; }

    /// <summary>The interval as an input; <paramref name="schema"/> names its features.</summary>
    public static IntervalInput Of(ClosedInterval<InputEvent> interval, FeatureSchema schema) =>
        new(interval, interval.Members[0], Describe(interval, schema));

    /// <summary>
    /// The <c>source</c> of an output: the interval <c>[start, end)</c>, its records and events, and the first and last
    /// offset it holds of each partition.
    /// </summary>
    public void WriteSource(Utf8JsonWriter json)
    {
        json.WriteStartObject("source");
        json.WriteString("intervalStart", Interval.Start.UtcDateTime);
        json.WriteString("intervalEnd", Interval.End.UtcDateTime);
        json.WriteNumber("events", Interval.Members.Count);
        json.WriteNumber("records", Interval.Records);
        json.WriteStartArray("partitions");
        foreach (var group in Interval.Members.GroupBy(m => (m.Topic, m.Partition)).OrderBy(g => g.Key.Topic, StringComparer.Ordinal).ThenBy(g => g.Key.Partition))
        {
            json.WriteStartObject();
            json.WriteString("topic", group.Key.Topic);
            json.WriteNumber("partition", group.Key.Partition);
            json.WriteNumber("firstOffset", group.Min(m => m.Offset));
            json.WriteNumber("lastOffset", group.Max(m => m.Offset));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <inheritdoc/>
    public override IReadOnlyList<InputEvent> Records => Interval.Members;

    /// <inheritdoc/>
    protected override bool Completed()
    {
        foreach (InputEvent member in Interval.Members)
        {
            member.Complete();
        }

        return true;
    }

    private static byte[] Describe(ClosedInterval<InputEvent> interval, FeatureSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (interval.Entity is null)
            {
                json.WriteNull("entity");
            }
            else
            {
                json.WriteString("entity", interval.Entity);
            }

            json.WriteString("start", interval.Start.UtcDateTime);
            json.WriteString("end", interval.End.UtcDateTime);
            json.WriteNumber("records", interval.Records);
            json.WriteStartObject("features");
            for (int i = 0; i < schema.FeatureCount; i++)
            {
                double value = interval.Values[i];
                if (double.IsFinite(value))
                {
                    json.WriteNumber(schema.Features[i].Name, value);
                }
                else
                {
                    json.WriteNull(schema.Features[i].Name);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
