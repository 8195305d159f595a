using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Producing;

/// <summary>
/// Publishes anomalies, dead letters and incidents with an idempotent producer. The source event completes only when the
/// broker acknowledges its output, which is what lets its offset be stored. A delivery that fails for good is
/// fatal: the worker stops without storing that offset, and the restarted worker processes the event again.
/// </summary>
public sealed class OutputPublisher : IOutputPublisher, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> producer;
    private readonly KafkaOptions options;
    private readonly ILogger logger;
    private readonly ClientLogThrottle throttle;
    private long clientErrors;
    private readonly TaskCompletionSource fault = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long acknowledged;

    /// <summary>Creates the producer.</summary>
    public OutputPublisher(KafkaOptions options, ILogger<OutputPublisher> logger)
    {
        this.options = options;
        this.logger = logger;
        throttle = new ClientLogThrottle(options.ClientErrorLogInterval);
        ProducerConfig config = KafkaClientConfigs.Producer(options);
        Log.ClientConfig(logger, "producer", string.Join(", ", KafkaClientConfigs.Redacted(config).Select(p => $"{p.Key}={p.Value}")));
        producer = new ProducerBuilder<byte[]?, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => Log.Client(logger, throttle, "producer", message))
            .Build();
    }

    /// <summary>Faults when a delivery failed for good or the producer hit a fatal error.</summary>
    public Task Fault => fault.Task;

    /// <summary>Outputs acknowledged by the broker.</summary>
    public long Acknowledged => Interlocked.Read(ref acknowledged);

    /// <summary>Client errors the producer reported (each one, including those the log throttle held back).</summary>
    public long ClientErrors => Interlocked.Read(ref clientErrors);

    /// <summary>Raised on the delivery thread for every acknowledged output, with its source event.</summary>
    public event Action<InputEvent, DeliveryResult<byte[]?, byte[]>>? Delivered;

    /// <inheritdoc />
    public void PublishAnomaly(InputEvent source, byte[]? key, byte[] message) =>
        Publish(options.AnomalyTopic, new Message<byte[]?, byte[]> { Key = key, Value = message }, source);

    /// <inheritdoc />
    public void PublishDeadLetter(InputEvent source, DeadLetter letter) =>
        Publish(options.DeadLetterTopic, DeadLetterMessages.Create(source, letter), source);

    /// <inheritdoc />
    public void PublishIncident(byte[] key, byte[] message, InputEvent? source) =>
        Publish(options.IncidentTopic, new Message<byte[]?, byte[]> { Key = key, Value = message }, source);

    private void Publish(string topic, Message<byte[]?, byte[]> message, InputEvent? source) =>
        producer.ProduceOrWait(topic, message, report => OnDelivery(report, source));

    /// <summary>Waits until every queued output is acknowledged (or the timeout passes).</summary>
    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    /// <inheritdoc />
    public void Dispose() => producer.Dispose();

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report, InputEvent? source)
    {
        if (report.Error.IsError)
        {
            Log.DeliveryFailed(logger, report.Topic, report.Error.Reason);
            fault.TrySetException(new KafkaException(report.Error));
            return;
        }

        Interlocked.Increment(ref acknowledged);
        if (source is not null)
        {
            Delivered?.Invoke(source, report);
            source.Complete();
        }
    }

    private void OnError(Error error)
    {
        Interlocked.Increment(ref clientErrors);
        Log.ClientError(logger, throttle, "producer", error);
        if (error.IsFatal)
        {
            fault.TrySetException(new KafkaException(error));
        }
    }
}
