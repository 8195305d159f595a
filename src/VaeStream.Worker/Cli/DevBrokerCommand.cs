using System.CommandLine;
using VaeStream.Kafka.MockCluster;

namespace VaeStream.Worker.Cli;

/// <summary><c>vaestream dev-broker</c>: a local Kafka-protocol broker (librdkafka's mock cluster) until Ctrl-C.</summary>
internal static class DevBrokerCommand
{
    public static Command Create()
    {
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the input topic.", DefaultValueFactory = _ => 4 };
        var command = new Command("dev-broker", "Start an in-memory Kafka-protocol broker for development and print its address.") { partitions };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cluster = new MockKafkaCluster();
            cluster.CreateTopic("events", parse.GetValue(partitions));
            cluster.CreateTopic("anomalies", 1);
            cluster.CreateTopic("events.dead-letter", 1);
            Console.WriteLine(cluster.BootstrapServers);
            await Console.Error.WriteLineAsync(
                $"Mock broker up with topics events, anomalies, events.dead-letter. In another shell:\n" +
                $"  vaestream generate --bootstrap {cluster.BootstrapServers} --topic events --rate 2000\n" +
                $"  VAESTREAM__Kafka__BootstrapServers={cluster.BootstrapServers} vaestream run\n" +
                "Data lives in memory; Ctrl-C stops the broker.");
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
