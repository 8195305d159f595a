using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Kafka.Offsets;

namespace VaeStream.Kafka.Consuming;

/// <summary>
/// Owns the Kafka consumer on one dedicated thread: Consume, StoreOffset, Pause/Resume, the rebalance handlers
/// and Close all run there. Consumed records go into a bounded channel; when it is full the assignment is paused
/// and polling goes on, so a slow pipeline never trips max.poll.interval.ms. Offsets are stored only as far as
/// every earlier event of the partition has completed.
/// </summary>
public sealed class ConsumeLoop : IDisposable
{
    private readonly KafkaOptions options;
    private readonly ChannelWriter<InputEvent> output;
    private readonly ILogger logger;
    private readonly IConsumer<byte[]?, byte[]?> consumer;
    private readonly Dictionary<TopicPartition, PartitionProgress> partitions = [];
    private readonly ConcurrentQueue<PartitionProgress> advanced = new();
    private readonly Dictionary<TopicPartition, long> stored = [];
    private readonly Queue<InputEvent> pending = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopPolling = new();
    private readonly ConsumerStatus status;
    private readonly Stopwatch sinceLagRefresh = Stopwatch.StartNew();
    private readonly ClientLogThrottle throttle;
    private readonly OffsetResetWatch resets = new();
    private Task pipelineDrained = Task.CompletedTask;
    private bool paused;
    private Thread? thread;

    /// <summary>Creates the consumer (not yet subscribed); <paramref name="status"/> receives what it sees.</summary>
    public ConsumeLoop(KafkaOptions options, ChannelWriter<InputEvent> output, ILogger<ConsumeLoop> logger, ConsumerStatus? status = null)
    {
        this.options = options;
        this.status = status ?? new ConsumerStatus();
        this.output = output;
        this.logger = logger;
        throttle = new ClientLogThrottle(options.ClientErrorLogInterval);
        ConsumerConfig config = KafkaClientConfigs.Consumer(options);
        Log.ClientConfig(logger, "consumer", string.Join(", ", KafkaClientConfigs.Redacted(config).Select(p => $"{p.Key}={p.Value}")));
        consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked(revoked))
            .SetPartitionsLostHandler((_, lost) => OnLost(lost))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) =>
            {
                resets.OnLog(message);
                Log.Client(logger, throttle, "consumer", message);
            })
            .SetStatisticsHandler((_, json) => this.status.Brokers.OnStatistics(json))
            .Build();
    }

    /// <summary>Completes when the loop has closed the consumer; faults on a fatal client error.</summary>
    public Task Completion => completion.Task;

    /// <summary>
    /// Starts polling on a dedicated thread. <paramref name="drained"/> completes once the pipeline has finished
    /// every event it read; the loop waits for it before its final offset store and Close.
    /// </summary>
    public void Start(Task drained)
    {
        pipelineDrained = drained;
        thread = new Thread(Run) { Name = "vaestream-consume", IsBackground = true };
        thread.Start();
    }

    /// <summary>Stops polling; the loop then completes the channel, waits for the drain, stores, commits and closes.</summary>
    public void StopPolling() => stopPolling.Cancel();

    /// <inheritdoc />
    public void Dispose()
    {
        stopPolling.Cancel();
        thread?.Join(TimeSpan.FromSeconds(30));
        consumer.Dispose();
        stopPolling.Dispose();
    }

    private void Run()
    {
        try
        {
            Subscribe();
            while (!stopPolling.IsCancellationRequested)
            {
                StoreAdvancedOffsets();
                FlushPending();
                ConsumeOne();
                RefreshLag();
            }

            output.TryComplete();
            // Events already handed to the pipeline finish and report their completions before the final store.
            while (!pipelineDrained.Wait(TimeSpan.FromMilliseconds(20)))
            {
                StoreAdvancedOffsets();
            }

            StoreAdvancedOffsets();
            CommitAndClose();
            completion.TrySetResult();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            completion.TrySetException(e);
        }
    }

    private void Subscribe()
    {
        consumer.Subscribe(options.InputTopics.Distinct(StringComparer.Ordinal));
        Log.Subscribed(logger, string.Join(",", options.InputTopics), options.GroupId);
    }

    private void ConsumeOne()
    {
        ConsumeResult<byte[]?, byte[]?>? result;
        try
        {
            result = consumer.Consume(options.PollTimeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // A record that cannot be read is skipped by the client; nothing was handed on, so nothing is lost here.
            if (throttle.ShouldWrite($"consume/{e.Error.Code}", out int suppressed))
            {
                Log.ConsumeFailed(logger, e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value ?? -1, e.ConsumerRecord?.Offset.Value ?? -1, e.Error.Reason, suppressed);
            }

            return;
        }

        if (result?.Message is null || !partitions.TryGetValue(result.TopicPartition, out PartitionProgress? progress))
        {
            return;
        }

        if (resets.OnRecord(result.TopicPartition, result.Offset.Value) is { } skipped)
        {
            status.RecordSkipped(skipped);
            Log.OffsetsSkipped(logger, skipped.Count, skipped.Partition.Topic, skipped.Partition.Partition.Value, skipped.From, skipped.To, skipped.Reason);
        }

        progress.Track(result.Offset.Value);
        status.RecordConsumed(result.Topic);
        Message<byte[]?, byte[]?> message = result.Message;
        pending.Enqueue(new InputEvent(result.Topic, result.Partition.Value, result.Offset.Value, message.Key, message.Value ?? [],
            message.Headers, message.Timestamp, progress) { ReceivedAt = Stopwatch.GetTimestamp(), IsTombstone = message.Value is null });
        FlushPending();
    }

    private void FlushPending()
    {
        while (pending.Count > 0)
        {
            if (output.TryWrite(pending.Peek()))
            {
                pending.Dequeue();
                continue;
            }

            if (paused || !WaitForRoom())
            {
                break;
            }
        }

        bool full = pending.Count > 0;
        if (full && !paused)
        {
            consumer.Pause(consumer.Assignment);
            paused = true;
            Log.Paused(logger, consumer.Assignment.Count);
        }
        else if (!full && paused)
        {
            consumer.Resume(consumer.Assignment);
            paused = false;
            Log.Resumed(logger, consumer.Assignment.Count);
        }
    }

    // Blocking is fine here: this is the consume thread's own, and the wait is bounded well below max.poll.interval.ms.
    private bool WaitForRoom()
    {
        try
        {
            return output.WaitToWriteAsync(stopPolling.Token).AsTask().Wait(options.BackpressureWait);
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            return false;
        }
    }

    private void StoreAdvancedOffsets()
    {
        while (advanced.TryDequeue(out PartitionProgress? progress))
        {
            progress.AcknowledgeNotification();
            Store(progress);
        }
    }

    private void Store(PartitionProgress progress)
    {
        long? offset = progress.StorableOffset;
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

    // Lag comes from the client's cached watermarks and positions, so refreshing it costs no broker round trip; it
    // runs here because the consume thread owns the consumer.
    private void RefreshLag()
    {
        if (sinceLagRefresh.Elapsed < TimeSpan.FromSeconds(1))
        {
            return;
        }

        sinceLagRefresh.Restart();
        var lags = new List<PartitionLag>(partitions.Count);
        foreach (TopicPartition partition in partitions.Keys)
        {
            long high = consumer.GetWatermarkOffsets(partition).High.Value;
            long position = consumer.Position(partition).Value;
            if (high >= 0 && position >= 0)
            {
                lags.Add(new PartitionLag(partition.Topic, partition.Partition.Value, Math.Max(0, high - position)));
            }
        }

        status.SetLag(lags);
    }

    private void OnAssigned(List<TopicPartition> assigned)
    {
        foreach (TopicPartition partition in assigned)
        {
            partitions[partition] = new PartitionProgress(partition, advanced.Enqueue);
            stored.Remove(partition);
        }

        if (paused)
        {
            consumer.Pause(assigned);
        }

        status.SetAssigned(partitions.Count);
        Log.Assigned(logger, string.Join(", ", assigned));
    }

    private void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        var deadline = Stopwatch.StartNew();
        List<PartitionProgress> leaving = revoked.Select(r => partitions.GetValueOrDefault(r.TopicPartition)).OfType<PartitionProgress>().ToList();
        // Records not yet handed to the pipeline are dropped: their offsets are never stored, so the next owner reads them.
        DropPending(leaving);
        while (leaving.Any(p => p.InFlight > 0) && deadline.Elapsed < options.RevokeDrainTimeout)
        {
            StoreAdvancedOffsets();
            Thread.Sleep(5);
        }

        StoreAdvancedOffsets();
        foreach (PartitionProgress progress in leaving)
        {
            Store(progress);
        }

        int stillInFlight = leaving.Sum(p => p.InFlight);
        Forget(leaving);
        Log.Revoked(logger, string.Join(", ", revoked.Select(r => r.TopicPartition)), stillInFlight);
    }

    private void OnLost(List<TopicPartitionOffset> lost)
    {
        List<PartitionProgress> leaving = lost.Select(r => partitions.GetValueOrDefault(r.TopicPartition)).OfType<PartitionProgress>().ToList();
        DropPending(leaving);
        Forget(leaving);
        Log.Lost(logger, string.Join(", ", lost.Select(r => r.TopicPartition)));
    }

    // Records not yet handed to the pipeline are the newest of their partition; untracking them lets the drain
    // wait cover only the records the pipeline actually holds.
    private void DropPending(List<PartitionProgress> leaving)
    {
        var dropped = pending.Where(e => leaving.Contains(e.Progress)).ToList();
        if (dropped.Count == 0)
        {
            return;
        }

        var keep = pending.Where(e => !leaving.Contains(e.Progress)).ToList();
        pending.Clear();
        keep.ForEach(pending.Enqueue);
        foreach (IGrouping<PartitionProgress, InputEvent> group in dropped.GroupBy(e => e.Progress))
        {
            group.Key.Untrack(group.Min(e => e.Offset));
        }
    }

    private void Forget(List<PartitionProgress> leaving)
    {
        foreach (PartitionProgress progress in leaving)
        {
            progress.Close();
            resets.Forget(progress.Partition);
            partitions.Remove(progress.Partition);
            stored.Remove(progress.Partition);
        }

        status.SetAssigned(partitions.Count);
    }

    private void OnError(Error error)
    {
        status.Brokers.OnError(error);
        Log.ClientError(logger, throttle, "consumer", error);
        if (error.IsFatal)
        {
            stopPolling.Cancel();
            completion.TrySetException(new KafkaException(error));
        }
    }

    private void CommitAndClose()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Auto-commit already committed every stored offset.
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
        {
            Log.CommitFailed(logger, e.Error.Reason);
        }

        Log.Closed(logger, string.Join(", ", stored.Select(s => $"{s.Key}@{s.Value}")));
        consumer.Close();
    }
}
