using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Kafka.FlowControl;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Rebalancing;

namespace VaeStream.Kafka.Consuming;

/// <summary>The parts the consume thread calls between polls.</summary>
internal sealed record ConsumeParts(IFlowControl Flow, IOffsetStore Offsets, IRebalanceHandler Rebalance, ILagSampler Lag, OffsetResetWatch Resets);

/// <summary>
/// The one thread that owns the consumer: it subscribes, polls and hands records on, and calls the other parts
/// between polls, so that Consume, StoreOffset, Pause/Resume, the rebalance handlers and Close all run here.
/// </summary>
internal sealed class ConsumeThread(
    IConsumer<byte[]?, byte[]?> consumer, KafkaOptions options, ChannelWriter<InputEvent> output, ConsumeParts parts,
    ConsumerStatus status, ClientLogThrottle throttle, TimeProvider time, ILogger logger) : IDisposable
{
    // How often the shutdown drain stores what the pipeline completed meanwhile.
    private static readonly TimeSpan DrainCheck = TimeSpan.FromMilliseconds(20);

    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private Task pipelineDrained = Task.CompletedTask;
    private Thread? thread;

    public Task Completion => completion.Task;

    public void Start(Task drained)
    {
        pipelineDrained = drained;
        thread = new Thread(Run) { Name = "vaestream-consume", IsBackground = true };
        thread.Start();
    }

    public void StopPolling() => stopping.Cancel();

    /// <summary>A fatal client error: stop polling, and fault <see cref="Completion"/> with it.</summary>
    public void Fail(KafkaException error)
    {
        stopping.Cancel();
        completion.TrySetException(error);
    }

    public void Dispose()
    {
        stopping.Cancel();
        thread?.Join(TimeSpan.FromSeconds(30));
        stopping.Dispose();
    }

    private void Run()
    {
        try
        {
            consumer.Subscribe(options.InputTopics.Distinct(StringComparer.Ordinal));
            Log.Subscribed(logger, string.Join(",", options.InputTopics), options.GroupId);
            while (!stopping.IsCancellationRequested)
            {
                parts.Offsets.StoreAdvanced();
                parts.Flow.Flush(stopping.Token);
                ConsumeOne();
                parts.Lag.Sample(parts.Rebalance.Assigned.Keys);
            }

            ShutDown();
            completion.TrySetResult();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            completion.TrySetException(e);
        }
    }

    // The order is the contract: the pipeline sees the end of the channel, finishes what it read (its completions
    // still stored as they come), and only then are the final offsets stored, committed and the consumer closed.
    private void ShutDown()
    {
        output.TryComplete();
        while (!pipelineDrained.Wait(DrainCheck))
        {
            parts.Offsets.StoreAdvanced();
        }

        parts.Offsets.StoreAdvanced();
        parts.Offsets.Commit();
        Log.Closed(logger, string.Join(", ", parts.Offsets.Stored.Select(s => $"{s.Key}@{s.Value}")));
        consumer.Close();
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

        if (result?.Message is null || !parts.Rebalance.Assigned.TryGetValue(result.TopicPartition, out PartitionProgress? progress))
        {
            return;
        }

        if (parts.Resets.OnRecord(result.TopicPartition, result.Offset.Value) is { } skipped)
        {
            status.RecordSkipped(skipped);
            Log.OffsetsSkipped(logger, skipped.Count, skipped.Partition.Topic, skipped.Partition.Partition.Value, skipped.From, skipped.To, skipped.Reason);
        }

        progress.Track(result.Offset.Value);
        status.RecordConsumed(result.Topic);
        Message<byte[]?, byte[]?> message = result.Message;
        parts.Flow.Enqueue(new InputEvent(result.Topic, result.Partition.Value, result.Offset.Value, message.Key, message.Value ?? [],
            message.Headers, message.Timestamp, progress) { ReceivedAt = time.GetTimestamp(), IsTombstone = message.Value is null });
        parts.Flow.Flush(stopping.Token);
    }
}
