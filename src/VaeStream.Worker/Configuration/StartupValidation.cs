using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Configuration;

/// <summary>
/// Resolves every setting and the files they name before the host starts, so a bad value is one plain line and
/// exit code 2 rather than a host start-up failure with a stack trace.
/// </summary>
internal static class StartupValidation
{
    /// <summary>Throws a <see cref="ConfigurationException"/> listing every invalid option; loads the schema and model settings.</summary>
    public static void Validate(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var problems = new List<string>();
        foreach ((string section, Type type) in WorkerSettings.Sections)
        {
            object options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            try
            {
                _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is OptionsValidationException failure)
            {
                problems.AddRange(OptionsFailures.Describe(failure, section, configuration));
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }

        // Schema and model settings errors name their own file and field.
        services.GetRequiredService<FeatureSchema>();
        services.GetRequiredService<DetectorProfile>();
    }
}
