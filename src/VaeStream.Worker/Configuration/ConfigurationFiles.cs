using Microsoft.Extensions.Configuration;

namespace VaeStream.Worker.Configuration;

/// <summary>Adds JSON settings files so that a malformed one is reported with its line and cause.</summary>
public static class ConfigurationFiles
{
    /// <summary>
    /// Adds <paramref name="path"/>. The configuration library's own error says only "Failed to load configuration
    /// from file"; the JSON reader's inner error has the line, the byte position and the cause.
    /// </summary>
    public static void AddJsonFile(IConfigurationBuilder configuration, string path, bool optional)
    {
        try
        {
            configuration.AddJsonFile(path, optional);
            if (configuration is not IConfigurationManager)
            {
                // A plain builder reads files only when built: build now, so the error surfaces here.
                configuration.Build();
            }
        }
        catch (InvalidDataException e)
        {
            Exception cause = e;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            throw new ConfigurationException($"{path} is not valid JSON: {cause.Message}", e);
        }
    }
}
