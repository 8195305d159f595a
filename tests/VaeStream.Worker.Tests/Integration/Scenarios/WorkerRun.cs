using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeStream.Worker.Hosting;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Tests.Integration.Brokers;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>The real worker host, in-process, pointed at the mock cluster with a private checkpoint folder.</summary>
internal sealed class WorkerRun : IAsyncDisposable
{
    private readonly IHost host;

    public WorkerRun(KafkaTestBroker cluster, TestTopics topics,
        string checkpoints, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:GroupId"] = topics.Group,
            ["Kafka:InputTopics:0"] = topics.Input,
            ["Kafka:AnomalyTopic"] = topics.Anomalies,
            ["Kafka:DeadLetterTopic"] = topics.DeadLetters,
            ["Kafka:IncidentTopic"] = topics.Incidents,
            ["Checkpoints:Directory"] = checkpoints,
            ["Retraining:WarmupEvents"] = "5000",
            ["Retraining:RetrainEveryEvents"] = "0",
            ["Retraining:RetrainInterval"] = "00:00:00",
            ["Operations:Enabled"] = "false",
        };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        host = WorkerHost.Build(overrides: settings, configure: configure, minimumLevel: LogLevel.Warning);
    }

    public WorkerMetrics Metrics => host.Services.GetRequiredService<WorkerMetrics>();

    /// <summary>The host's services, for the consumer status and other singletons.</summary>
    public IServiceProvider Services => host.Services;

    public Task StartAsync() => host.StartAsync();

    public async Task StopAsync() => await host.StopAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
