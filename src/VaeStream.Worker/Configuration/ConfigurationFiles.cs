using Microsoft.Extensions.Configuration;

namespace VaeStream.Worker.Configuration;

/// <summary>Adds JSON settings files so that a malformed one is reported with its line and cause.</summary>
internal static class ConfigurationFiles
{
    /// <summary>
    /// Adds <paramref name="path"/>. The configuration library's own error says only "Failed to load configuration
    /// from file"; the JSON reader's inner error has the line, the byte position and the cause.
    /// </summary>
    /// <remarks>A configuration manager, such as the host builder's, reads the file as it is added.</remarks>
    public static void AddJsonFile(IConfigurationManager configuration, string path, bool optional)
    {
        try
        {
            configuration.AddJsonFile(path, optional);
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
