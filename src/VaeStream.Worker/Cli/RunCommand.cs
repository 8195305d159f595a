using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Connectivity;
using VaeStream.Worker.Configuration;
using VaeStream.Worker.Hosting;

namespace VaeStream.Worker.Cli;

/// <summary><c>vaestream run</c>: the streaming worker as a Generic Host, until SIGTERM or Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings layered over config/appsettings.json (environment variables VAESTREAM__Section__Key win)." };
        var command = new Command("run", "Run the streaming worker: consume, score, publish anomalies, retrain.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? file = parse.GetValue(config)?.FullName;
            if (string.IsNullOrWhiteSpace(BootstrapServers(file)))
            {
                await Console.Error.WriteLineAsync(NoBrokerHelp);
                return ExitCodes.BadInput;
            }

            using IHost host = WorkerHost.Build(file);
            StartupValidation.Validate(host.Services);
            KafkaOptions kafka = host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            int brokers = BrokerProbe.Check(kafka, kafka.StartupTimeout);
            await Console.Error.WriteLineAsync($"Kafka at {kafka.BootstrapServers}: {brokers} broker(s) answered.");
            await host.RunAsync(cancellationToken);
            // A worker that failed stops the host, and the host's run then ends normally: the exit code must say so.
            if (host.Services.GetRequiredService<WorkerService>().ExecuteTask is { IsFaulted: true } failed)
            {
                await Console.Error.WriteLineAsync($"error: the worker stopped: {failed.Exception!.GetBaseException().Message}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private const string NoBrokerHelp = """
        error: no Kafka bootstrap servers are configured (Kafka:BootstrapServers).
        Pick one:
          - try it without Kafka:      dotnet run --project src/VaeStream.Worker -- demo
          - a local broker to point at: vaestream dev-broker   (prints its address), then
                                       VAESTREAM__Kafka__BootstrapServers=127.0.0.1:PORT vaestream run
          - your cluster:              VAESTREAM__Kafka__BootstrapServers=host:9092 vaestream run [--config settings.json]
        """;

    // Reads the same sources the host will, without starting it, so a missing broker is reported at once.
    private static string? BootstrapServers(string? file)
    {
        var builder = new ConfigurationBuilder();
        ConfigurationFiles.AddJsonFile(builder, Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: true);
        if (file is not null)
        {
            ConfigurationFiles.AddJsonFile(builder, file, optional: false);
        }

        return builder.AddEnvironmentVariables(VaeStreamHostingExtensions.EnvironmentPrefix).Build()["Kafka:BootstrapServers"];
    }
}
