using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.Alerting;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Configuration;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Hosting;

/// <summary>The worker's wiring, in one place.</summary>
internal static class VaeStreamHostingExtensions
{
    /// <summary>Environment variables with this prefix override configuration: <c>VAESTREAM__Kafka__BootstrapServers</c>.</summary>
    public const string EnvironmentPrefix = "VAESTREAM__";

    /// <summary>
    /// Adds configuration (config/appsettings.json beside the program, then <paramref name="configFile"/>, then
    /// <c>VAESTREAM__</c> environment variables, then <paramref name="overrides"/>), validated options and the worker.
    /// </summary>
    public static IHostApplicationBuilder AddVaeStream(this IHostApplicationBuilder builder, string? configFile = null,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ConfigurationFiles.AddJsonFile(builder.Configuration, Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            ConfigurationFiles.AddJsonFile(builder.Configuration, Path.GetFullPath(configFile), optional: false);
        }

        builder.Configuration
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        // The binder ignores unknown keys and fails late on unconvertible values: refuse both now, by name.
        WorkerSettings.Strict.Check(builder.Configuration);

        builder.Services.AddOptionsWithValidateOnStart<KafkaOptions, KafkaOptionsValidator>().BindConfiguration(KafkaOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<PipelineOptions, PipelineOptionsValidator>().BindConfiguration(PipelineOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<RetrainingOptions, RetrainingOptionsValidator>().BindConfiguration(RetrainingOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<CheckpointOptions, CheckpointOptionsValidator>().BindConfiguration(CheckpointOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<FeaturesOptions, FeaturesOptionsValidator>().BindConfiguration(FeaturesOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<OperationsOptions, OperationsOptionsValidator>().BindConfiguration(OperationsOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<IncidentOptions, IncidentOptionsValidator>().BindConfiguration(IncidentOptions.Section);
        builder.Services.AddOptionsWithValidateOnStart<AlertingOptions, AlertingOptionsValidator>().BindConfiguration(AlertingOptions.Section);

        // Logging:Console:FormatterName (simple, json, systemd) and Logging:Console:FormatterOptions pick the format.
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownBudget.Total);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton<ConsumerStatus>();
        builder.Services.AddSingleton<CheckpointStore>();
        builder.Services.AddSingleton(sp => FeatureSchema.Load(ResolvePath(sp.GetRequiredService<IOptions<FeaturesOptions>>().Value.SchemaPath)));
        // The settings file's profile for this schema: events of a few metrics scored one by one and wide metric
        // series want different settings.
        builder.Services.AddSingleton(sp => DetectorSettings.Load(ResolvePath(sp.GetRequiredService<IOptions<RetrainingOptions>>().Value.ModelSettingsPath))
            .For(sp.GetRequiredService<FeatureSchema>()));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DetectorProfile>().Options);
        builder.Services.AddSingleton(sp => new OutputPublisher(Value<KafkaOptions>(sp), sp.GetRequiredService<ILogger<OutputPublisher>>()));
        builder.Services.AddSingleton(sp => new IncidentMetrics(sp.GetRequiredService<WorkerMetrics>().Registry));
        // Null when incidents are off: the batch processor and the worker service take it as optional.
        builder.Services.AddSingleton(sp => Value<IncidentOptions>(sp).Enabled
            ? new IncidentPublisher(Value<IncidentOptions>(sp), sp.GetRequiredService<OutputPublisher>(),
                sp.GetRequiredService<IncidentMetrics>(), sp.GetRequiredService<TimeProvider>())
            : null!);
        builder.Services.AddSingleton(sp => new BatchProcessor(sp.GetRequiredService<FeatureSchema>(), Value<PipelineOptions>(sp),
            sp.GetRequiredService<OutputPublisher>(), sp.GetRequiredService<WorkerMetrics>(),
            sp.GetRequiredService<ILogger<BatchProcessor>>(), sp.GetService<IScoreObserver>(), sp.GetService<IncidentPublisher>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new Retrainer(Value<RetrainingOptions>(sp), sp.GetRequiredService<DetectorOptions>(),
            sp.GetRequiredService<CheckpointStore>(), sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Retrainer>>(), sp.GetService<TrainDetector>()));
        builder.Services.AddSingleton(sp => new ScoringLoop(sp.GetRequiredService<FeatureSchema>(), Value<PipelineOptions>(sp),
            Value<RetrainingOptions>(sp), sp.GetRequiredService<BatchProcessor>(), sp.GetRequiredService<Retrainer>(),
            sp.GetRequiredService<CheckpointStore>(), sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ScoringLoop>>()));
        builder.Services.AddSingleton<WorkerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkerService>());
        builder.Services.AddOperationsHealthChecks();
        builder.Services.AddHostedService<AlertmanagerSink>();

        // Training and scoring each get one libtorch thread: on 2 cores they then run side by side instead of
        // contending, so a retrain does not stall scoring (measured in the benchmarks).
        TorchRuntime.Initialize(threads: 1);
        return builder;
    }

    /// <summary>A relative path is taken from the working directory if it exists there, else from beside the program.</summary>
    public static string ResolvePath(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        string besideProgram = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideProgram) ? besideProgram : Path.GetFullPath(path);
    }

    private static T Value<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
