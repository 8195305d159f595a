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
        Dictionary<string, string?> settings = cluster.Settings(topics)
            .Checkpoints(checkpoints)
            .Set("Retraining:WarmupEvents", 5000)
            .RetrainingOff()
            .OperationsOff()
            .With(extra)
            .ToDictionary();
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
