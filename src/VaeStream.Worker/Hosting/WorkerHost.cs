using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VaeStream.Worker.Hosting;

/// <summary>Builds the worker's host; <c>vaestream run</c>, the demo and the integration tests all use this.</summary>
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
        // The scoring loop keeps one pool thread busy while input flows. With the default minimum (one thread per
        // core, so 2 on a small box) other work (timers, the producer's callbacks, health endpoints) then waits for
        // the pool's thread injection, about 0.5 s a step: measured as scoring pauses of 0.6–0.9 s.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (minimumLevel is { } level)
        {
            // Configured levels are filter rules, which win over SetMinimumLevel; an override of the rule wins over them.
            settings["Logging:LogLevel:Default"] = level.ToString();
        }

        builder.AddVaeStream(configFile, settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        // Logging:Console:FormatterName picks the format: "simple" (one line per entry, the default) or "json"
        // (one JSON object per line, for log shippers). Chosen here because the formatter helpers override config.
        if (string.Equals(builder.Configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
