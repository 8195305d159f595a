using System.CommandLine;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Simulation;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Generate;

/// <summary><c>vaestream generate</c>: feed a topic with synthetic ops events and injected anomalies.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers.", Required = true };
        var topic = new Option<string>("--topic") { Description = "Topic to produce to.", DefaultValueFactory = _ => "events" };
        var rate = new Option<double>("--rate") { Description = "Events per second.", DefaultValueFactory = _ => 1_000 };
        var anomalyRate = new Option<double>("--anomaly-rate") { Description = "Share of events inside injected anomalies.", DefaultValueFactory = _ => 0.01 };
        var count = new Option<int>("--count") { Description = "Events to produce; 0 runs until Ctrl-C.", DefaultValueFactory = _ => 0 };
        var hosts = new Option<int>("--hosts") { Description = "Simulated hosts.", DefaultValueFactory = _ => 20 };
        var malformed = new Option<int>("--malformed-every") { Description = "One malformed event after every N valid ones; 0 for none.", DefaultValueFactory = _ => 0 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the broker to answer at start before exiting with code 2.", DefaultValueFactory = _ => 30 };
        var command = new Command("generate", "Produce synthetic ops events (cpu, mem, latency, errors, requests) with injected anomalies.")
        {
            bootstrap, topic, rate, anomalyRate, count, hosts, malformed, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            double r = parse.GetValue(rate);
            double a = parse.GetValue(anomalyRate);
            if (r <= 0 || a is < 0 or > 0.5 || parse.GetValue(hosts) < 1 || parse.GetValue(timeout) is < 1 or > 600)
            {
                throw new ArgumentException("--rate must be positive, --anomaly-rate within 0..0.5, --hosts at least 1 and --timeout within 1..600.");
            }

            string servers = parse.GetValue(bootstrap)!;
            TimeSpan startupTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            _ = BrokerProbe.Check(new KafkaOptions { BootstrapServers = servers }, startupTimeout);
            var feed = new EventFeed(servers, parse.GetValue(topic)!, new OpsEventGenerator(parse.GetValue(hosts), a, Environment.TickCount));
            int total = parse.GetValue(count);
            Task run = feed.RunAsync(total, r, parse.GetValue(malformed), cancellationToken);
            using (var progress = new ProduceProgressLine(feed, total, Console.Error))
            {
                try
                {
                    await run;
                }
                catch (OperationCanceledException)
                {
                }
            }

            Console.WriteLine($"Produced {feed.Produced} events ({feed.Truth.Values.Count(k => k != AnomalyKind.None)} inside injected anomalies).");
            return ExitCodes.Success;
        });
        return command;
    }
}
