using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Kafka.FlowControl;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Rebalancing;

namespace VaeStream.Kafka.Consuming;

/// <summary>
/// Owns the Kafka consumer on one dedicated thread: Consume, StoreOffset, Pause/Resume, the rebalance handlers
/// and Close all run there. Consumed records go into a bounded channel; when it is full the assignment is paused
/// and polling goes on, so a slow pipeline never trips max.poll.interval.ms. Offsets are stored only as far as
/// every earlier event of the partition has completed.
/// </summary>
public sealed class ConsumeLoop : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> consumer;
    private readonly ConsumeThread thread;
    private readonly RebalanceHandler rebalance;
    private readonly ConsumerStatus status;
    private readonly ClientLogThrottle throttle;
    private readonly ILogger logger;

    /// <summary>Creates the consumer (not yet subscribed); <paramref name="status"/> receives what it sees.</summary>
    /// <param name="options">Validated Kafka options.</param>
    /// <param name="output">Where consumed records go.</param>
    /// <param name="logger">Log of the loop and of librdkafka.</param>
    /// <param name="status">What the loop sees, for metrics and health checks.</param>
    /// <param name="timeProvider">The clock of the loop's deadlines and timestamps; the system clock by default.</param>
    public ConsumeLoop(KafkaOptions options, ChannelWriter<InputEvent> output, ILogger<ConsumeLoop> logger, ConsumerStatus? status = null,
        TimeProvider? timeProvider = null)
        : this(options, output, logger, status, timeProvider, KafkaConsumerFactory.Instance)
    {
    }

    internal ConsumeLoop(KafkaOptions options, ChannelWriter<InputEvent> output, ILogger<ConsumeLoop> logger, ConsumerStatus? status,
        TimeProvider? timeProvider, IKafkaConsumerFactory factory)
    {
        TimeProvider time = timeProvider ?? TimeProvider.System;
        this.status = status ?? new ConsumerStatus();
        this.logger = logger;
        throttle = new ClientLogThrottle(options.ClientErrorLogInterval);
        var resets = new OffsetResetWatch();
        ConsumerConfig config = KafkaClientConfigs.Consumer(options);
        Log.ClientConfig(logger, "consumer", string.Join(", ", KafkaClientConfigs.Redacted(config).Select(p => $"{p.Key}={p.Value}")));
        // The rebalance and error handlers reach parts made after the consumer: librdkafka calls them only from
        // Consume and Close, on the consume thread, which starts after this constructor.
        consumer = factory.Create(config, new ConsumerHandlers(
            Assigned: OnAssigned,
            Revoked: OnRevoked,
            Lost: OnLost,
            Error: OnError,
            Log: message =>
            {
                resets.OnLog(message);
                Log.Client(logger, throttle, "consumer", message);
            },
            Statistics: json => this.status.Brokers.OnStatistics(json)));
        var offsets = new OffsetStore(consumer, logger);
        var flow = new ConsumerFlowControl(consumer, output, options.BackpressureWait, time, logger);
        rebalance = new RebalanceHandler(offsets, flow, resets, this.status, options.RevokeDrainTimeout, time, logger);
        var parts = new ConsumeParts(flow, offsets, rebalance, new LagSampler(consumer, this.status, time), resets);
        thread = new ConsumeThread(consumer, options, output, parts, this.status, throttle, time, logger);
    }

    /// <summary>Completes when the loop has closed the consumer; faults on a fatal client error.</summary>
    public Task Completion => thread.Completion;

    /// <summary>
    /// Starts polling on a dedicated thread. <paramref name="drained"/> completes once the pipeline has finished
    /// every event it read; the loop waits for it before its final offset store and Close.
    /// </summary>
    public void Start(Task drained) => thread.Start(drained);

    /// <summary>Stops polling; the loop then completes the channel, waits for the drain, stores, commits and closes.</summary>
    public void StopPolling() => thread.StopPolling();

    /// <inheritdoc />
    public void Dispose()
    {
        thread.Dispose();
        consumer.Dispose();
    }

    private void OnAssigned(List<TopicPartition> assigned) => rebalance.OnAssigned(assigned);

    private void OnRevoked(List<TopicPartitionOffset> revoked) => rebalance.OnRevoked(revoked);

    private void OnLost(List<TopicPartitionOffset> lost) => rebalance.OnLost(lost);

    private void OnError(Error error)
    {
        status.Brokers.OnError(error);
        Log.ClientError(logger, throttle, "consumer", error);
        if (error.IsFatal)
        {
            thread.Fail(new KafkaException(error));
        }
    }
}
