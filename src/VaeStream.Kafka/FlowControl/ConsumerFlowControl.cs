using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.FlowControl;

/// <summary>Moves consumed records into the pipeline's channel, pausing the assignment while it is full.</summary>
internal interface IFlowControl
{
    /// <summary>Whether the assignment is paused because the channel is full.</summary>
    bool IsPaused { get; }

    /// <summary>Records consumed and not yet handed to the channel.</summary>
    int Pending { get; }

    /// <summary>Queues a consumed record for the channel; <see cref="Flush"/> hands it on.</summary>
    void Enqueue(InputEvent record);

    /// <summary>
    /// Hands pending records to the channel. When it is full, waits up to the backpressure wait for room once, then
    /// pauses the assignment; resumes it when everything pending went in.
    /// </summary>
    void Flush(CancellationToken stopping);

    /// <summary>
    /// Notes newly assigned partitions; the next <see cref="Flush"/> pauses them if the assignment is paused, and
    /// resumes them otherwise.
    /// </summary>
    void OnAssigned(IReadOnlyCollection<TopicPartition> assigned);

    /// <summary>Drops the pending records of partitions that leave, and stops tracking them; returns how many.</summary>
    int Drop(IReadOnlyCollection<PartitionProgress> leaving);
}

/// <summary>
/// Backpressure without stopping the poll loop: a full channel pauses the assignment and the consume thread keeps
/// calling Consume with a short timeout, so a slow pipeline never trips max.poll.interval.ms (KafkaFlow's
/// ConsumerFlowManager does the same).
/// </summary>
internal sealed class ConsumerFlowControl(
    IConsumer<byte[]?, byte[]?> consumer, ChannelWriter<InputEvent> output, TimeSpan backpressureWait, TimeProvider time, ILogger logger)
    : IFlowControl
{
    private readonly Queue<InputEvent> pending = new();
    private readonly List<TopicPartition> assignedSinceFlush = [];

    public bool IsPaused { get; private set; }

    public int Pending => pending.Count;

    public void Enqueue(InputEvent record) => pending.Enqueue(record);

    public void Flush(CancellationToken stopping)
    {
        SettleAssigned();
        while (pending.Count > 0)
        {
            if (output.TryWrite(pending.Peek()))
            {
                pending.Dequeue();
                continue;
            }

            if (IsPaused || !WaitForRoom(stopping))
            {
                break;
            }
        }

        bool full = pending.Count > 0;
        if (full && !IsPaused)
        {
            consumer.Pause(consumer.Assignment);
            IsPaused = true;
            Log.Paused(logger, consumer.Assignment.Count);
        }
        else if (!full && IsPaused)
        {
            consumer.Resume(consumer.Assignment);
            IsPaused = false;
            Log.Resumed(logger, consumer.Assignment.Count);
        }
    }

    // Pause and Resume wait for librdkafka's own threads, which a rebalance callback holds up: called from the
    // assigned handler, Resume never returned (the consumer hung on its first assignment, on the mock cluster). So the
    // handler only notes the partitions, and the consume thread settles them here, between polls.
    public void OnAssigned(IReadOnlyCollection<TopicPartition> assigned) => assignedSinceFlush.AddRange(assigned);

    private void SettleAssigned()
    {
        if (assignedSinceFlush.Count == 0)
        {
            return;
        }

        List<TopicPartition> assigned = assignedSinceFlush.Intersect(consumer.Assignment).ToList();
        assignedSinceFlush.Clear();
        if (IsPaused)
        {
            consumer.Pause(assigned);
        }
        else
        {
            // librdkafka keeps a partition's pause through an unassign (only its own rebalance pause is reset), so one
            // that left while paused would come back paused and never be fetched: a lost partition did, on the mock
            // cluster. Resuming a partition that is not paused changes nothing.
            consumer.Resume(assigned);
        }
    }

    // Records not yet handed to the pipeline are the newest of their partition; untracking them lets a revoke's
    // drain wait cover only the records the pipeline actually holds. Their offsets are never stored, so the
    // partition's next owner reads them.
    public int Drop(IReadOnlyCollection<PartitionProgress> leaving)
    {
        var dropped = pending.Where(e => leaving.Contains(e.Progress)).ToList();
        if (dropped.Count == 0)
        {
            return 0;
        }

        var keep = pending.Where(e => !leaving.Contains(e.Progress)).ToList();
        pending.Clear();
        keep.ForEach(pending.Enqueue);
        foreach (IGrouping<PartitionProgress, InputEvent> group in dropped.GroupBy(e => e.Progress))
        {
            group.Key.Untrack(group.Min(e => e.Offset));
        }

        return dropped.Count;
    }

    // Blocking is fine here: this is the consume thread's own, and the wait is bounded well below max.poll.interval.ms.
    // A short congestion then costs nothing, where a pause/resume cycle makes librdkafka refetch.
    private bool WaitForRoom(CancellationToken stopping)
    {
        try
        {
            return output.WaitToWriteAsync(stopping).AsTask().WaitAsync(backpressureWait, time, stopping).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }
}
