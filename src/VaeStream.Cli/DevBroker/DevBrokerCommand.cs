using System.CommandLine;
using VaeStream.Kafka.Testing;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.DevBroker;

/// <summary><c>vaestream dev-broker</c>: a local Kafka-protocol broker (librdkafka's mock cluster) until Ctrl-C.</summary>
internal static class DevBrokerCommand
{
    private const int MaxPartitions = 1000;

    public static Command Create()
    {
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the input topic.", DefaultValueFactory = _ => 4 };
        var command = new Command("dev-broker", "Start an in-memory Kafka-protocol broker for development and print its address.") { partitions };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // librdkafka asserts (and aborts the process) on a negative count, and 0 creates a topic nothing can use.
            int count = parse.GetValue(partitions);
            if (count is < 1 or > MaxPartitions)
            {
                throw new ArgumentException($"--partitions must be within 1..{MaxPartitions}; got {count}.");
            }

            using var cluster = new MockKafkaCluster();
            cluster.CreateTopic("events", count);
            cluster.CreateTopic("anomalies", 1);
            cluster.CreateTopic("events.dead-letter", 1);
            cluster.CreateTopic("incidents", 1);
            Console.WriteLine(cluster.BootstrapServers);
            await Console.Error.WriteLineAsync(
                $"Mock broker up with topics events, anomalies, events.dead-letter, incidents. In another shell:\n" +
                $"  vaestream generate --bootstrap {cluster.BootstrapServers} --topic events --rate 2000\n" +
                $"  VAESTREAM__Kafka__BootstrapServers={cluster.BootstrapServers} vaestream run\n" +
                "Data lives in memory; Ctrl-C stops the broker.\n" +
                "Limits: each partition keeps at most 5 MB or 100,000 record batches; older data is trimmed, as retention\n" +
                "would on a real cluster (a worker that had not read it yet logs the skipped offsets). A group member that\n" +
                "stopped cleanly is replaced only after session.timeout.ms − 1 s (9 s at the worker's 10 s).");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
