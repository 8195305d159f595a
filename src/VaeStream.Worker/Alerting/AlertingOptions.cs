using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Alerting;

/// <summary>The <c>Alerting</c> configuration section: where open incidents are sent besides the incident topic.</summary>
internal sealed class AlertingOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Alerting";

    /// <summary>The Alertmanager sink; off while its URL is empty.</summary>
    [ValidateObjectMembers]
    public AlertmanagerOptions Alertmanager { get; set; } = new();
}

/// <summary>The <c>Alerting:Alertmanager</c> settings.</summary>
internal sealed class AlertmanagerOptions
{
    /// <summary>Alertmanager's base URL, for example <c>http://alertmanager:9093</c>; empty turns the sink off.</summary>
    [RegularExpression(@"^(https?://\S+)?$", ErrorMessage = "Alerting:Alertmanager:Url must be empty or an http(s) URL.")]
    public string Url { get; set; } = "";

    /// <summary>
    /// Open incidents are re-sent this often. Alertmanager resolves an alert it has not heard of for its
    /// <c>resolve_timeout</c> (5 min by default), so keep this well below that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one post.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a failed post the sink waits 1 s, then twice as long after each further failure, up to this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Source-generated validation of <see cref="AlertingOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class AlertingOptionsValidator : IValidateOptions<AlertingOptions>;
