namespace VaeStream.Worker.Configuration;

/// <summary>A setting the worker refuses to start with; the message names the <c>Section:Key</c> the user wrote.</summary>
internal sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
