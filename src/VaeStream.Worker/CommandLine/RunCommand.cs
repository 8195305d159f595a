using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Worker.Configuration;
using VaeStream.Worker.Hosting;

namespace VaeStream.Worker.CommandLine;

/// <summary><c>run</c>: the streaming worker as a Generic Host, until SIGTERM or Ctrl-C.</summary>
public static class RunCommand
{
    /// <summary>The command, for a command tree.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings layered over config/appsettings.json (environment variables VAESTREAM__Section__Key win)." };
        var command = new Command("run", "Run the streaming worker: consume, score, publish anomalies, retrain.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using IHost host = WorkerHost.Build(parse.GetValue(config)?.FullName);
            // Read from the host's own configuration, before anything is validated or connects.
            if (string.IsNullOrWhiteSpace(host.Services.GetRequiredService<IConfiguration>()["Kafka:BootstrapServers"]))
            {
                await Console.Error.WriteLineAsync(NoBrokerHelp);
                return ExitCodes.BadInput;
            }

            StartupValidation.Validate(host.Services);
            KafkaOptions kafka = host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            ClusterView cluster = BrokerProbe.Check(kafka, kafka.StartupTimeout);
            await Console.Error.WriteLineAsync($"Kafka at {kafka.BootstrapServers}: {cluster.Brokers} broker(s) answered.");
            IEnumerable<(string, string)> topics = [.. kafka.InputTopics.Select((t, i) => ($"Kafka:InputTopics:{i}", t)),
                ("Kafka:AnomalyTopic", kafka.AnomalyTopic), ("Kafka:DeadLetterTopic", kafka.DeadLetterTopic), ("Kafka:IncidentTopic", kafka.IncidentTopic)];
            foreach ((string setting, string topic) in cluster.Missing(topics))
            {
                // A warning, not an error: clusters that create topics on first use are common in development.
                await Console.Error.WriteLineAsync($"warning: topic '{topic}' ({setting}) does not exist on the cluster; unless the cluster creates " +
                    "topics on first use, create it (the incident topic compacted), or outputs to it wait, and their input offsets with them.");
            }
            return await RunToEndAsync(host, host.Services.GetRequiredService<WorkerService>(), Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="host"/> until it stops and says how it ended: 0 when it stopped on request (SIGTERM,
    /// Ctrl-C), whenever the request came, 1 when <paramref name="worker"/> failed.
    /// </summary>
    internal static async Task<int> RunToEndAsync(IHost host, BackgroundService worker, TextWriter error, CancellationToken cancellationToken)
    {
        // Taken before the run: RunAsync disposes the host, its services with it, when it ends.
        CancellationToken stopRequested = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // A SIGTERM while the host is still starting (measured: in the few ms the metrics endpoint takes to bind)
            // cancels the start, and the host throws. A container runtime sends exactly that when it scales down or
            // rolls out; a stop on request is not a failure.
            await error.WriteLineAsync("stopped on request (SIGTERM or Ctrl-C) while starting.");
            return ExitCodes.Success;
        }

        // A worker that failed stops the host, and the host's run then ends normally: the exit code must say so.
        if (worker.ExecuteTask is { IsFaulted: true } failed)
        {
            await error.WriteLineAsync($"error: the worker stopped: {failed.Exception!.GetBaseException().Message}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private const string NoBrokerHelp = """
        error: no Kafka bootstrap servers are configured (Kafka:BootstrapServers).
        Pick one:
          - try it without Kafka:      dotnet run --project src/VaeStream.Cli -- demo
          - a local broker to point at: vaestream dev-broker   (prints its address), then
                                       VAESTREAM__Kafka__BootstrapServers=127.0.0.1:PORT vaestream run
          - your cluster:              VAESTREAM__Kafka__BootstrapServers=host:9092 vaestream run [--config settings.json]
        """;
}
