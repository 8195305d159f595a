using Confluent.Kafka;

namespace VaeStream.Kafka.Consuming;

/// <summary>
/// What the consume loop wants told about its consumer. librdkafka calls the rebalance, error and statistics
/// handlers from inside <c>Consume</c> (so on the consume thread); the log handler may come from its own threads.
/// </summary>
internal sealed record ConsumerHandlers(
    Action<List<TopicPartition>> Assigned,
    Action<List<TopicPartitionOffset>> Revoked,
    Action<List<TopicPartitionOffset>> Lost,
    Action<Error> Error,
    Action<LogMessage> Log,
    Action<string> Statistics);

/// <summary>Builds the consumer the loop owns: the seam that lets the loop's parts run against a fake one.</summary>
internal interface IKafkaConsumerFactory
{
    IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerHandlers handlers);
}

/// <summary>The real librdkafka consumer.</summary>
internal sealed class KafkaConsumerFactory : IKafkaConsumerFactory
{
    public static readonly KafkaConsumerFactory Instance = new();

    public IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerHandlers handlers) =>
        new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, assigned) => handlers.Assigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => handlers.Revoked(revoked))
            .SetPartitionsLostHandler((_, lost) => handlers.Lost(lost))
            .SetErrorHandler((_, error) => handlers.Error(error))
            .SetLogHandler((_, message) => handlers.Log(message))
            .SetStatisticsHandler((_, json) => handlers.Statistics(json))
            .Build();
}
