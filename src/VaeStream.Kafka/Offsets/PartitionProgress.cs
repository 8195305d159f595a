using Confluent.Kafka;

namespace VaeStream.Kafka.Offsets;

/// <summary>
/// The in-flight offsets of one assigned partition. An offset becomes storable only when it and every earlier
/// tracked offset are complete, so the committed position never passes an event whose outputs are unacknowledged.
/// One instance per assignment: after a revoke, completions for the old instance are ignored.
/// </summary>
public sealed class PartitionProgress(TopicPartition partition, Action<PartitionProgress>? onAdvanced = null)
{
    private readonly Lock gate = new();
    private readonly Queue<long> inFlight = new();
    private readonly HashSet<long> completed = [];
    private long storable = Offset.Unset.Value;
    private int storeQueued;

    /// <summary>The partition.</summary>
    public TopicPartition Partition { get; } = partition;

    /// <summary>Set when the partition was revoked or lost; later completions change nothing.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Events tracked and not yet complete.</summary>
    public int InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight.Count;
            }
        }
    }

    /// <summary>Starts tracking an offset; offsets of one partition arrive in increasing order.</summary>
    public void Track(long offset)
    {
        lock (gate)
        {
            inFlight.Enqueue(offset);
        }
    }

    /// <summary>
    /// Marks an offset done. Returns true, and tells the owner, when the storable position advanced.
    /// Safe from any thread (producer delivery reports arrive on librdkafka's).
    /// </summary>
    public bool Complete(long offset)
    {
        bool advanced = false;
        lock (gate)
        {
            if (IsClosed)
            {
                return false;
            }

            completed.Add(offset);
            while (inFlight.Count > 0 && completed.Remove(inFlight.Peek()))
            {
                storable = inFlight.Dequeue() + 1;
                advanced = true;
            }
        }

        // One pending notification per partition is enough: the owner stores the latest position when it gets to it.
        if (advanced && Interlocked.Exchange(ref storeQueued, 1) == 0)
        {
            onAdvanced?.Invoke(this);
        }

        return advanced;
    }

    /// <summary>
    /// The owner takes the notification: further advances notify again. Call before reading <see cref="StorableOffset"/>.
    /// </summary>
    public void AcknowledgeNotification() => Volatile.Write(ref storeQueued, 0);

    /// <summary>The next offset to store (last contiguous completed + 1), or null when nothing completed yet.</summary>
    public long? StorableOffset
    {
        get
        {
            lock (gate)
            {
                return storable == Offset.Unset.Value ? null : storable;
            }
        }
    }

    /// <summary>Stops tracking <paramref name="fromOffset"/> and every later offset (records dropped before processing).</summary>
    public void Untrack(long fromOffset)
    {
        lock (gate)
        {
            long[] keep = inFlight.Where(o => o < fromOffset).ToArray();
            inFlight.Clear();
            foreach (long offset in keep)
            {
                inFlight.Enqueue(offset);
            }
        }
    }

    /// <summary>Stops accepting completions (revoked or lost partition).</summary>
    public void Close()
    {
        lock (gate)
        {
            IsClosed = true;
            inFlight.Clear();
            completed.Clear();
        }
    }
}
