using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VaeStream.Worker.Hosting;

/// <summary>Builds the worker's host; <c>vaestream run</c>, the demo and the integration tests all use this.</summary>
public static class WorkerHost
{
    /// <summary>Creates the host; <paramref name="configure"/> may add services (observers, test hooks).</summary>
    public static IHost Build(string? configFile = null, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configure = null, LogLevel minimumLevel = LogLevel.Information)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.AddVaeStream(configFile, overrides);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
