using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.FlowControl;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.Rebalancing;

/// <summary>Keeps the assigned partitions' progress across rebalances; called on the consume thread.</summary>
internal interface IRebalanceHandler
{
    /// <summary>The progress of every partition currently assigned.</summary>
    IReadOnlyDictionary<TopicPartition, PartitionProgress> Assigned { get; }

    /// <summary>Partitions joined the assignment: each starts a fresh progress.</summary>
    void OnAssigned(List<TopicPartition> assigned);

    /// <summary>
    /// Partitions leave in an orderly rebalance: their in-flight events get up to the drain timeout to finish, and
    /// what finished is stored while the partitions are still ours.
    /// </summary>
    void OnRevoked(List<TopicPartitionOffset> revoked);

    /// <summary>Partitions were taken away (session or poll interval expired): their work is dropped, nothing stored.</summary>
    void OnLost(List<TopicPartitionOffset> lost);
}

/// <summary>
/// The rebalance side of at-least-once. A revoked partition's offsets can still be stored, and librdkafka commits them
/// as the partition leaves, so the next owner starts right after the last completed event; a lost partition already
/// belongs to someone else, so nothing of it is stored and its next owner re-reads from the last commit.
/// </summary>
internal sealed class RebalanceHandler(
    IOffsetStore offsets, IFlowControl flow, OffsetResetWatch resets, ConsumerStatus status, TimeSpan revokeDrainTimeout,
    TimeProvider time, ILogger logger) : IRebalanceHandler
{
    // Completions come from pipeline and producer threads with no signal to wait on; a short sleep between checks
    // keeps the wait cheap, and the deadline is read from the TimeProvider.
    private static readonly TimeSpan DrainCheck = TimeSpan.FromMilliseconds(5);

    private readonly Dictionary<TopicPartition, PartitionProgress> partitions = [];

    public IReadOnlyDictionary<TopicPartition, PartitionProgress> Assigned => partitions;

    public void OnAssigned(List<TopicPartition> assigned)
    {
        foreach (TopicPartition partition in assigned)
        {
            partitions[partition] = new PartitionProgress(partition, offsets.OnAdvanced);
            offsets.Forget(partition);
        }

        flow.OnAssigned(assigned);
        status.SetAssigned(partitions.Count);
        Log.Assigned(logger, string.Join(", ", assigned));
    }

    public void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        long started = time.GetTimestamp();
        List<PartitionProgress> leaving = Leaving(revoked);
        flow.Drop(leaving);
        while (leaving.Any(p => p.InFlight > 0) && time.GetElapsedTime(started) < revokeDrainTimeout)
        {
            offsets.StoreAdvanced();
            Thread.Sleep(DrainCheck);
        }

        offsets.StoreAdvanced();
        foreach (PartitionProgress progress in leaving)
        {
            offsets.Store(progress);
        }

        // Committed now, not at the next auto-commit: the new owner starts from the commit, and everything completed
        // since the last one would otherwise be processed twice (measured on the mock cluster: up to a second's worth).
        offsets.Commit();
        int stillInFlight = leaving.Sum(p => p.InFlight);
        Forget(leaving);
        Log.Revoked(logger, string.Join(", ", revoked.Select(r => r.TopicPartition)), stillInFlight);
    }

    public void OnLost(List<TopicPartitionOffset> lost)
    {
        List<PartitionProgress> leaving = Leaving(lost);
        flow.Drop(leaving);
        Forget(leaving);
        Log.Lost(logger, string.Join(", ", lost.Select(r => r.TopicPartition)));
    }

    private List<PartitionProgress> Leaving(List<TopicPartitionOffset> leaving) =>
        leaving.Select(r => partitions.GetValueOrDefault(r.TopicPartition)).OfType<PartitionProgress>().ToList();

    // Closing the progress makes later completions of its events change nothing, even if the partition comes back.
    private void Forget(List<PartitionProgress> leaving)
    {
        foreach (PartitionProgress progress in leaving)
        {
            progress.Close();
            resets.Forget(progress.Partition);
            partitions.Remove(progress.Partition);
            offsets.Forget(progress.Partition);
        }

        status.SetAssigned(partitions.Count);
    }
}
