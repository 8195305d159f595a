using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using VaeStream.Kafka.Configuration;
using VaeStream.Worker.Alerting;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Configuration;

/// <summary>The worker's configuration sections and the options class each binds to.</summary>
internal static class WorkerSettings
{
    /// <summary>Section name → options type; every key of these sections must be a property of its type.</summary>
    public static IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [KafkaOptions.Section] = typeof(KafkaOptions),
        [PipelineOptions.Section] = typeof(PipelineOptions),
        [RetrainingOptions.Section] = typeof(RetrainingOptions),
        [CheckpointOptions.Section] = typeof(CheckpointOptions),
        [FeaturesOptions.Section] = typeof(FeaturesOptions),
        [OperationsOptions.Section] = typeof(OperationsOptions),
        [IncidentOptions.Section] = typeof(IncidentOptions),
        [AlertingOptions.Section] = typeof(AlertingOptions),
    };

    /// <summary>
    /// Sections read by the .NET libraries themselves, whose keys are open-ended, and the host's own top-level
    /// settings (the content root the worker sets, the environment and application name it may be given, and the
    /// hosting-startup switches ASP.NET Core's builder writes).
    /// </summary>
    public static IReadOnlyCollection<string> FreeFormSections { get; } =
        ["Logging", HostDefaults.ContentRootKey, HostDefaults.EnvironmentKey, HostDefaults.ApplicationKey,
            WebHostDefaults.HostingStartupAssembliesKey, WebHostDefaults.HostingStartupExcludeAssembliesKey, WebHostDefaults.PreventHostingStartupKey];

    /// <summary>The checker for these sections.</summary>
    public static StrictConfiguration Strict { get; } = new(Sections, FreeFormSections);
}
