namespace VaeStream.Kafka.Connectivity;

/// <summary>No broker of <c>Kafka:BootstrapServers</c> answered within the start-up timeout.</summary>
public sealed class BrokerUnreachableException(string bootstrapServers, TimeSpan timeout, string reason)
    : Exception($"no Kafka broker answered at {bootstrapServers} within {timeout.TotalSeconds:0.#} s " +
        $"(Kafka:BootstrapServers, Kafka:StartupTimeout): {reason}");
