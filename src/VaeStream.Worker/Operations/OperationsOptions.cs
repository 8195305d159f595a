using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Operations;

/// <summary>The <c>Operations</c> configuration section: the HTTP endpoint for metrics and health checks.</summary>
internal sealed class OperationsOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Operations";

    /// <summary>Serve <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Host part of the listening address: <c>*</c> (every interface, for containers), an IP or a host name.</summary>
    [Required]
    [RegularExpression(@"^(\*|\+|[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])$", ErrorMessage = "Operations:Address must be *, an IP address or a host name.")]
    public string Address { get; set; } = "*";

    /// <summary>TCP port of the endpoint.</summary>
    [Range(1, 65_535)]
    public int Port { get; set; } = 8080;

    /// <summary><c>/healthz</c> fails once the pipeline has made no progress for this long while input is waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The URL Kestrel listens on, e.g. <c>http://*:8080</c>.</summary>
    public string Url => $"http://{Address}:{Port}";
}

/// <summary>Source-generated validation of <see cref="OperationsOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class OperationsOptionsValidator : IValidateOptions<OperationsOptions>;
