using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VaeStream.Kafka.Connectivity;

namespace VaeStream.Kafka.Consuming;

/// <summary>One assigned partition's lag: the high watermark minus the consumer's position.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Lag);

/// <summary>
/// What the consume thread last saw, published for metrics and health checks on other threads: records consumed per
/// topic, the assigned partitions and their lag. Written only by the consume thread.
/// </summary>
public sealed class ConsumerStatus
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> consumed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, int), StrongBox<long>> skipped = new();
    private volatile IReadOnlyList<PartitionLag> lag = [];
    private int assignedPartitions;

    /// <summary>Records consumed so far, per topic.</summary>
    public IEnumerable<KeyValuePair<string, long>> Consumed =>
        consumed.Select(c => new KeyValuePair<string, long>(c.Key, Interlocked.Read(ref c.Value.Value)));

    /// <summary>Whether the consumer reaches a broker, and its client errors.</summary>
    public BrokerConnectivity Brokers { get; } = new();

    /// <summary>Partitions currently assigned to this consumer.</summary>
    public int AssignedPartitions => Volatile.Read(ref assignedPartitions);

    /// <summary>Lag of every assigned partition whose position and high watermark are known, as of the last refresh.</summary>
    public IReadOnlyList<PartitionLag> Lag => lag;

    /// <summary>Total lag over the assigned partitions (0 when unknown).</summary>
    public long TotalLag => lag.Sum(l => l.Lag);

    /// <summary>Records skipped because the broker no longer had them, per topic and partition.</summary>
    public IEnumerable<KeyValuePair<(string Topic, int Partition), long>> Skipped =>
        skipped.Select(s => new KeyValuePair<(string, int), long>(s.Key, Interlocked.Read(ref s.Value.Value)));

    /// <summary>Total records skipped because the broker no longer had them.</summary>
    public long SkippedTotal => Skipped.Sum(s => s.Value);

    internal void RecordSkipped(Offsets.SkippedOffsets run) =>
        Interlocked.Add(ref skipped.GetOrAdd((run.Partition.Topic, run.Partition.Partition.Value), _ => new StrongBox<long>()).Value, run.Count);

    internal void RecordConsumed(string topic) =>
        Interlocked.Increment(ref consumed.GetOrAdd(topic, _ => new StrongBox<long>()).Value);

    internal void SetAssigned(int partitions) => Volatile.Write(ref assignedPartitions, partitions);

    internal void SetLag(IReadOnlyList<PartitionLag> partitions) => lag = partitions;
}
