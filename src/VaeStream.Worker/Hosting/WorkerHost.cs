using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using VaeStream.Worker.Operations;

namespace VaeStream.Worker.Hosting;

/// <summary>
/// Builds the worker's host; <c>vaestream run</c>, the demo and the integration tests all use this. With
/// <c>Operations:Enabled</c> (the default) Kestrel serves the operations endpoints; without, the host opens no port.
/// </summary>
public static class WorkerHost
{
    /// <summary>
    /// Creates the host; <paramref name="configure"/> may add services (observers, test hooks), and
    /// <paramref name="minimumLevel"/>, when given, overrides the configured log level (the demo keeps its terminal
    /// for the progress view).
    /// </summary>
    public static IHost Build(string? configFile = null, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configure = null, LogLevel? minimumLevel = null)
    {
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (minimumLevel is { } level)
        {
            // Configured levels are filter rules, which win over SetMinimumLevel; an override of the rule wins over them.
            settings["Logging:LogLevel:Default"] = level.ToString();
        }

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddVaeStream(configFile, settings);
        configure?.Invoke(builder.Services);
        OperationsOptions operations = builder.Configuration.GetSection(OperationsOptions.Section).Get<OperationsOptions>() ?? new OperationsOptions();
        if (!operations.Enabled)
        {
            builder.Services.AddSingleton<IServer, NoListeningServer>();
            return builder.Build();
        }

        builder.WebHost.UseKestrelCore().UseUrls(operations.Url);
        builder.Services.AddRoutingCore();
        WebApplication app = builder.Build();
        app.MapOperations();
        app.Lifetime.ApplicationStarted.Register(() => Log.OperationsEndpointListening(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerHost)),
            string.Join(", ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])));
        return app;
    }
}
