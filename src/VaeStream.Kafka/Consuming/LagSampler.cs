using Confluent.Kafka;

namespace VaeStream.Kafka.Consuming;

/// <summary>Publishes the assigned partitions' lag to the <see cref="ConsumerStatus"/>, at a bounded rate.</summary>
internal interface ILagSampler
{
    /// <summary>Refreshes the lag of <paramref name="partitions"/> if the interval has passed; returns whether it did.</summary>
    bool Sample(IEnumerable<TopicPartition> partitions);
}

/// <summary>
/// Lag comes from the client's cached watermarks and positions, so a sample costs no broker round trip; it runs on
/// the consume thread because that thread owns the consumer, and once a second because metrics scrape no faster.
/// </summary>
internal sealed class LagSampler(IConsumer<byte[]?, byte[]?> consumer, ConsumerStatus status, TimeProvider time) : ILagSampler
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private long lastSample = time.GetTimestamp();

    public bool Sample(IEnumerable<TopicPartition> partitions)
    {
        if (time.GetElapsedTime(lastSample) < Interval)
        {
            return false;
        }

        lastSample = time.GetTimestamp();
        var lags = new List<PartitionLag>();
        foreach (TopicPartition partition in partitions)
        {
            long high = consumer.GetWatermarkOffsets(partition).High.Value;
            long position = consumer.Position(partition).Value;
            // Negative means not known yet (no fetch response, no position): leave it out rather than report a guess.
            if (high >= 0 && position >= 0)
            {
                lags.Add(new PartitionLag(partition.Topic, partition.Partition.Value, Math.Max(0, high - position)));
            }
        }

        status.SetLag(lags);
        return true;
    }
}
