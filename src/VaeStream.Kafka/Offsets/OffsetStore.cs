using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace VaeStream.Kafka.Offsets;

/// <summary>Stores the consumer's offsets as far as its partitions have completed; used on the consume thread only.</summary>
internal interface IOffsetStore
{
    /// <summary>The last offset stored per partition of the current assignment.</summary>
    IReadOnlyDictionary<TopicPartition, long> Stored { get; }

    /// <summary>A partition's storable position moved; safe from any thread (it only queues the partition).</summary>
    void OnAdvanced(PartitionProgress progress);

    /// <summary>Stores every partition that advanced since the last call.</summary>
    void StoreAdvanced();

    /// <summary>Stores one partition's position, if it moved forward and the partition is still ours.</summary>
    void Store(PartitionProgress progress);

    /// <summary>Forgets what was stored for a partition that left or (re)joined the assignment.</summary>
    void Forget(TopicPartition partition);

    /// <summary>Commits the stored offsets synchronously, before Close.</summary>
    void Commit();
}

/// <summary>
/// Keeps offset storing on the consume thread, which owns the consumer: completions arrive on pipeline and producer
/// threads and only queue their partition here. Auto-commit then sends what was stored.
/// </summary>
internal sealed class OffsetStore(IConsumer<byte[]?, byte[]?> consumer, ILogger logger) : IOffsetStore
{
    private readonly ConcurrentQueue<PartitionProgress> advanced = new();
    private readonly Dictionary<TopicPartition, long> stored = [];

    public IReadOnlyDictionary<TopicPartition, long> Stored => stored;

    public void OnAdvanced(PartitionProgress progress) => advanced.Enqueue(progress);

    public void StoreAdvanced()
    {
        while (advanced.TryDequeue(out PartitionProgress? progress))
        {
            progress.AcknowledgeNotification();
            Store(progress);
        }
    }

    public void Store(PartitionProgress progress)
    {
        long? offset = progress.StorableOffset;
        // A closed progress belongs to an assignment that ended; its new owner resumes from the last commit.
        if (progress.IsClosed || offset is null || (stored.TryGetValue(progress.Partition, out long last) && last >= offset))
        {
            return;
        }

        try
        {
            consumer.StoreOffset(new TopicPartitionOffset(progress.Partition, offset.Value));
            stored[progress.Partition] = offset.Value;
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
        {
            // The partition was revoked between completion and store: its new owner resumes from the last commit.
            Log.StoreSkipped(logger, progress.Partition.Topic, progress.Partition.Partition.Value);
        }
    }

    public void Forget(TopicPartition partition) => stored.Remove(partition);

    public void Commit()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Auto-commit already committed every stored offset.
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.Local_State or ErrorCode.RebalanceInProgress
            or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId)
        {
            // No longer in the group, or the group is rebalancing (another member stopping at the same time): Close
            // still commits the stored offsets as the partitions leave if it can, and otherwise the next owner
            // resumes from the last commit. Either way nothing is lost, and Close must still run.
            Log.CommitFailed(logger, e.Error.Reason);
        }
    }
}
