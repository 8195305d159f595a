using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Incidents;

/// <summary>The <c>Incidents</c> configuration section: when flagged events of an entity become an incident, and when it ends.</summary>
public sealed class IncidentOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Incidents";

    /// <summary>Track incidents and publish them to <c>Kafka:IncidentTopic</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An incident opens when this many of the entity's last <see cref="Window"/> scored events were anomalies ...</summary>
    [Range(1, 1000)]
    public int OpenAfter { get; set; } = 3;

    /// <summary>... counted over this many of its most recent scored events.</summary>
    [Range(1, 1000)]
    public int Window { get; set; } = 10;

    /// <summary>It resolves after this many consecutive normal events of the entity (0: off; see <see cref="QuietTime"/>).</summary>
    [Range(0, 1_000_000)]
    public int QuietEvents { get; set; } = 30;

    /// <summary>... or once this much event time has passed since its last anomaly (0: off).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan QuietTime { get; set; } = TimeSpan.Zero;

    /// <summary>An open incident whose entity sends nothing for this long (processing time) resolves.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An open incident is re-published with its counts at most this often, besides material changes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A new peak is material when it is at least this factor above the peak last published.</summary>
    [Range(1.0, 100.0)]
    public double PeakStep { get; set; } = 1.5;

    /// <summary>Suppression: an incident is published only once it holds this many anomalies (counted meanwhile).</summary>
    [Range(0, 1_000_000)]
    public int MinAnomalies { get; set; }

    /// <summary>Suppression: after a resolve, the entity opens no new incident for this long (processing time).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.Zero;

    /// <summary>Suppression: entities whose anomalies never become incidents.</summary>
    public List<string> MutedEntities { get; set; } = [];

    /// <summary>Suppression: anomalies led by one of these features never count.</summary>
    public List<string> MutedFeatures { get; set; } = [];

    /// <summary>
    /// Suppression, per feature: an anomaly led by the feature does not count when its value is this near the
    /// expected one, in the feature's units (<c>Absolute</c>) or as a share of the expected value (<c>Relative</c>).
    /// </summary>
    public Dictionary<string, NearExpectedRule> NearExpected { get; set; } = [];
}

/// <summary>How near the expected value an anomaly's leading feature must be for it to be ignored; either bound suffices.</summary>
public sealed class NearExpectedRule
{
    /// <summary>|value − expected| at or below this is near (0: off).</summary>
    [Range(0.0, double.MaxValue)]
    public double Absolute { get; set; }

    /// <summary>|value − expected| at or below this × |expected| is near (0: off).</summary>
    [Range(0.0, 1000.0)]
    public double Relative { get; set; }
}

/// <summary>Source-generated validation of <see cref="IncidentOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class IncidentOptionsValidator : IValidateOptions<IncidentOptions>;
