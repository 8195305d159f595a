using System.Collections.Concurrent;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Tests.Fakes;

/// <summary>
/// A consumer that serves scripted steps from <see cref="Consume(TimeSpan)"/>, as librdkafka does: records, and
/// rebalance callbacks run inside the poll. It keeps librdkafka's rules that the parts rely on: StoreOffset of a
/// partition not assigned throws Local_State, and Commit with nothing stored since the last one throws Local_NoOffset.
/// </summary>
internal sealed class FakeConsumer : IConsumer<byte[]?, byte[]?>
{
    private readonly ConcurrentQueue<Func<ConsumeResult<byte[]?, byte[]?>?>> steps = new();
    private readonly ConcurrentQueue<string> calls = new();
    private readonly Dictionary<TopicPartition, long> storedSinceCommit = [];
    private readonly Lock gate = new();

    public ConsumerHandlers? Handlers { get; set; }

    /// <summary>Every call that matters to the parts, in order: "Pause t[0]", "Store t[0]@5", "Commit", "Close".</summary>
    public IReadOnlyList<string> Calls => calls.ToList();

    public List<TopicPartitionOffset> StoredOffsets { get; } = [];

    public HashSet<TopicPartition> Paused { get; } = [];

    public Dictionary<TopicPartition, long> HighWatermarks { get; } = [];

    public Dictionary<TopicPartition, long> Positions { get; } = [];

    public int WatermarkReads { get; private set; }

    /// <summary>When set, Commit fails with this code (after the Local_NoOffset rule).</summary>
    public ErrorCode? CommitError { get; set; }

    public List<TopicPartition> Assignment { get; private set; } = [];

    public string MemberId => "fake";

    public List<string> Subscription { get; private set; } = [];

    public IConsumerGroupMetadata ConsumerGroupMetadata => throw new NotSupportedException();

    public Handle Handle => throw new NotSupportedException();

    public string Name => "fake";

    /// <summary>The next poll runs the group's assignment of <paramref name="partitions"/>.</summary>
    public void ScriptAssign(params TopicPartition[] partitions) => steps.Enqueue(() =>
    {
        Assignment = [.. Assignment, .. partitions];
        Handlers?.Assigned([.. partitions]);
        return null;
    });

    /// <summary>The next poll runs an orderly revoke of <paramref name="partitions"/>, then drops them.</summary>
    public void ScriptRevoke(params TopicPartition[] partitions) => steps.Enqueue(() =>
    {
        Handlers?.Revoked(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)).ToList());
        Assignment = Assignment.Except(partitions).ToList();
        return null;
    });

    /// <summary>The next poll reports <paramref name="partitions"/> lost, then drops them.</summary>
    public void ScriptLost(params TopicPartition[] partitions) => steps.Enqueue(() =>
    {
        Handlers?.Lost(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)).ToList());
        Assignment = Assignment.Except(partitions).ToList();
        return null;
    });

    /// <summary>The next poll reports a client error.</summary>
    public void ScriptError(Error error) => steps.Enqueue(() =>
    {
        Handlers?.Error(error);
        return null;
    });

    public void ScriptRecord(string topic, int partition, long offset, byte[]? value = null) => steps.Enqueue(() =>
        new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, partition, offset),
            Message = new Message<byte[]?, byte[]?> { Key = null, Value = value ?? [1], Timestamp = Timestamp.Default },
        });

    public void Assign(IEnumerable<TopicPartition> partitions) => Assignment = partitions.ToList();

    public ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout)
    {
        if (steps.TryDequeue(out Func<ConsumeResult<byte[]?, byte[]?>?>? step))
        {
            return step();
        }

        // An idle poll: short, so a test's loop turns quickly without spinning a core.
        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(2, timeout.TotalMilliseconds)));
        return null;
    }

    public ConsumeResult<byte[]?, byte[]?> Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout))!;

    public ConsumeResult<byte[]?, byte[]?> Consume(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Subscribe(IEnumerable<string> topics)
    {
        Subscription = topics.ToList();
        calls.Enqueue($"Subscribe {string.Join(",", Subscription)}");
    }

    public void Subscribe(string topic) => Subscribe([topic]);

    public void StoreOffset(TopicPartitionOffset offset)
    {
        lock (gate)
        {
            if (!Assignment.Contains(offset.TopicPartition))
            {
                throw new KafkaException(ErrorCode.Local_State);
            }

            StoredOffsets.Add(offset);
            storedSinceCommit[offset.TopicPartition] = offset.Offset.Value;
        }

        calls.Enqueue($"Store {offset.TopicPartition}@{offset.Offset.Value}");
    }

    public List<TopicPartitionOffset> Commit()
    {
        lock (gate)
        {
            calls.Enqueue("Commit");
            if (storedSinceCommit.Count == 0)
            {
                throw new KafkaException(ErrorCode.Local_NoOffset);
            }

            if (CommitError is { } error)
            {
                throw new KafkaException(error);
            }

            List<TopicPartitionOffset> committed = storedSinceCommit.Select(s => new TopicPartitionOffset(s.Key, s.Value)).ToList();
            storedSinceCommit.Clear();
            return committed;
        }
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        List<TopicPartition> list = partitions.ToList();
        Paused.UnionWith(list);
        calls.Enqueue($"Pause {string.Join(",", list)}");
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        List<TopicPartition> list = partitions.ToList();
        Paused.ExceptWith(list);
        calls.Enqueue($"Resume {string.Join(",", list)}");
    }

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition)
    {
        WatermarkReads++;
        return new WatermarkOffsets(0, HighWatermarks.GetValueOrDefault(topicPartition, Offset.Unset.Value));
    }

    public Offset Position(TopicPartition partition) => Positions.GetValueOrDefault(partition, Offset.Unset.Value);

    public void Close() => calls.Enqueue("Close");

    public void Dispose() => calls.Enqueue("Dispose");

    public int AddBrokers(string brokers) => throw new NotSupportedException();

    public void SetSaslCredentials(string username, string password) => throw new NotSupportedException();

    public void Unsubscribe() => throw new NotSupportedException();

    public void Assign(TopicPartition partition) => throw new NotSupportedException();

    public void Assign(TopicPartitionOffset partition) => throw new NotSupportedException();

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void Unassign() => throw new NotSupportedException();

    public void StoreOffset(ConsumeResult<byte[]?, byte[]?> result) => throw new NotSupportedException();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => throw new NotSupportedException();

    public void Commit(ConsumeResult<byte[]?, byte[]?> result) => throw new NotSupportedException();

    public void Seek(TopicPartitionOffset tpo) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => throw new NotSupportedException();

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        throw new NotSupportedException();

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => throw new NotSupportedException();
}

/// <summary>Hands the loop a <see cref="FakeConsumer"/> and keeps the handlers the loop gave it.</summary>
internal sealed class FakeConsumerFactory(FakeConsumer consumer) : IKafkaConsumerFactory
{
    public ConsumerConfig? Config { get; private set; }

    public IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerHandlers handlers)
    {
        Config = config;
        consumer.Handlers = handlers;
        return consumer;
    }
}
