using Confluent.Kafka;
using VaeStream.Kafka.Configuration;

namespace VaeStream.Kafka.Consuming;

/// <summary>
/// Reads a topic from its start to its current end, without a consumer group, and keeps the last value per key:
/// the state a compacted topic records (a null value deletes its key).
/// </summary>
public static class CompactedTopicReader
{
    /// <summary>The latest value of every key; an absent topic reads as empty.</summary>
    public static Dictionary<string, byte[]> ReadLatest(KafkaOptions options, string topic, TimeSpan timeout, TimeProvider? time = null)
    {
        TimeProvider clock = time ?? TimeProvider.System;
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        ConsumerConfig config = KafkaClientConfigs.Consumer(options);
        config.GroupId = $"{options.GroupId}-recovery";
        config.EnableAutoCommit = false;
        using IConsumer<string?, byte[]?> consumer = new ConsumerBuilder<string?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        using IAdminClient admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        TopicMetadata? metadata = admin.GetMetadata(topic, timeout).Topics.FirstOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError)
        {
            return latest;
        }

        var ends = new Dictionary<TopicPartition, long>();
        foreach (PartitionMetadata partition in metadata.Partitions)
        {
            var tp = new TopicPartition(topic, partition.PartitionId);
            WatermarkOffsets marks = consumer.QueryWatermarkOffsets(tp, timeout);
            if (marks.High > marks.Low)
            {
                ends[tp] = marks.High.Value;
            }
        }

        consumer.Assign(ends.Keys.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        long started = clock.GetTimestamp();
        while (ends.Count > 0 && clock.GetElapsedTime(started) < timeout)
        {
            ConsumeResult<string?, byte[]?>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            // A partition ending in records the consumer skips (transaction markers) is done once its position is there.
            foreach (TopicPartition done in ends.Where(e => consumer.Position(e.Key).Value >= e.Value).Select(e => e.Key).ToList())
            {
                ends.Remove(done);
            }

            if (result?.Message is null)
            {
                continue;
            }

            if (result.Message.Key is { } key)
            {
                if (result.Message.Value is null)
                {
                    latest.Remove(key);
                }
                else
                {
                    latest[key] = result.Message.Value;
                }
            }

            if (result.Offset.Value + 1 >= ends.GetValueOrDefault(result.TopicPartition, long.MaxValue))
            {
                ends.Remove(result.TopicPartition);
            }
        }

        if (ends.Count > 0)
        {
            throw new TimeoutException($"reading topic '{topic}' to its end took longer than {timeout.TotalSeconds:0} s");
        }

        return latest;
    }
}
