using Microsoft.Extensions.Logging;

namespace VaeStream.Kafka;

internal static partial class Log
{
    /// <summary>Routes librdkafka's own log lines into the structured log, at a matching level.</summary>
    /// <remarks>Warnings and errors pass through <paramref name="throttle"/>, one kind per client and facility.</remarks>
    public static void Client(ILogger logger, Connectivity.ClientLogThrottle throttle, string client, Confluent.Kafka.LogMessage message)
    {
        LogLevel level = message.Level switch
        {
            <= Confluent.Kafka.SyslogLevel.Error => LogLevel.Error,
            Confluent.Kafka.SyslogLevel.Warning => LogLevel.Warning,
            <= Confluent.Kafka.SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        int suppressed = 0;
        if (level >= LogLevel.Warning && !throttle.ShouldWrite($"{client}/{message.Facility}", out suppressed))
        {
            return;
        }

        ClientLog(logger, level, client, message.Facility, WithSuppressed(message.Message, suppressed));
    }

    /// <summary>A client error, through <paramref name="throttle"/>, one kind per client and error code.</summary>
    public static void ClientError(ILogger logger, Connectivity.ClientLogThrottle throttle, string client, Confluent.Kafka.Error error)
    {
        if (throttle.ShouldWrite($"{client}/{error.Code}", out int suppressed))
        {
            ClientError(logger, client, error.Code, WithSuppressed(error.Reason, suppressed));
        }
    }

    private static string WithSuppressed(string text, int suppressed) =>
        suppressed == 0 ? text : $"{text} ({suppressed} more like it were not logged since the last one)";

    [LoggerMessage(EventId = 14, Message = "librdkafka {Client} {Facility}: {Text}")]
    private static partial void ClientLog(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(1, LogLevel.Information, "Consumer subscribed to {Topics} as group {GroupId}")]
    public static partial void Subscribed(ILogger logger, string topics, string groupId);

    [LoggerMessage(2, LogLevel.Information, "Partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(3, LogLevel.Information, "Partitions revoked: {Partitions}; {InFlight} events still in flight after the drain wait")]
    public static partial void Revoked(ILogger logger, string partitions, int inFlight);

    [LoggerMessage(4, LogLevel.Warning, "Partitions lost: {Partitions}; their in-flight work is dropped and will be redelivered")]
    public static partial void Lost(ILogger logger, string partitions);

    [LoggerMessage(5, LogLevel.Information, "Channel full: paused {Count} partitions")]
    public static partial void Paused(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Information, "Channel has room: resumed {Count} partitions")]
    public static partial void Resumed(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Warning, "Kafka {Client} error {Code}: {Reason}")]
    private static partial void ClientError(ILogger logger, string client, Confluent.Kafka.ErrorCode code, string reason);

    /// <summary>A record the consumer could not read, with the count of like failures the throttle held back.</summary>
    public static void ConsumeFailed(ILogger logger, string? topic, int partition, long offset, string reason, int suppressed) =>
        ConsumeFailed(logger, topic, partition, offset, WithSuppressed(reason, suppressed));

    [LoggerMessage(8, LogLevel.Warning, "Consume failed on {Topic} [{Partition}] @{Offset}: {Reason}")]
    private static partial void ConsumeFailed(ILogger logger, string? topic, int partition, long offset, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Offset store skipped for {Topic} [{Partition}]: partition no longer assigned")]
    public static partial void StoreSkipped(ILogger logger, string topic, int partition);

    [LoggerMessage(10, LogLevel.Information, "Consumer closed after storing final offsets: {Offsets}")]
    public static partial void Closed(ILogger logger, string offsets);

    [LoggerMessage(11, LogLevel.Information, "Kafka client {Client} config: {Config}")]
    public static partial void ClientConfig(ILogger logger, string client, string config);

    [LoggerMessage(12, LogLevel.Error, "Delivery to {Topic} failed permanently: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(15, LogLevel.Error, "Skipped {Count} records of {Topic} [{Partition}], offsets {From}..{To}: the broker no longer had them when they were to be read (deleted by retention or trimmed); librdkafka: {Reason}")]
    public static partial void OffsetsSkipped(ILogger logger, long count, string topic, int partition, long from, long to, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Commit on close failed: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string reason);
}
