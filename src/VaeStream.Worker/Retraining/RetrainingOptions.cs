using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Retraining;

/// <summary>The <c>Retraining</c> configuration section.</summary>
internal sealed class RetrainingOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Retraining";

    /// <summary>
    /// Without a checkpoint, this many events are buffered (offsets unstored) to train the first model. With an
    /// aggregated schema these are rows, one per entity and interval: 10,000 one-minute rows of one host are a week.
    /// </summary>
    [Range(20, 10_000_000)]
    public int WarmupEvents { get; set; } = 10_000;

    /// <summary>
    /// When the warm-up's events span less event time than this (they need the schema's <c>timestampPath</c>), the
    /// first model goes live and the events are kept until the stream's time has covered it; the warm-up is then done
    /// again on them, inline when catching up on a backlog, else in the background (<see cref="DayCoverage"/>). A day,
    /// so a daily load cycle is learned whole; zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan WarmupSpan { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Recent unflagged events (rows, with an aggregated schema) kept for retraining (a ring buffer).</summary>
    [Range(20, 10_000_000)]
    public int WindowSize { get; set; } = 50_000;

    /// <summary>
    /// Events scoring up to this multiple of the threshold join the window, flagged ones included: the normal tail
    /// the next threshold is calibrated on (<see cref="Model.Detection.WindowAdmission"/>). 1 keeps unflagged events only.
    /// </summary>
    [Range(1.0, 1000.0)]
    public double WindowAdmitFactor { get; set; } = Model.Detection.WindowAdmission.DefaultFactor;

    /// <summary>Retrain after this many scored events; 0 turns the count trigger off.</summary>
    [Range(0, long.MaxValue)]
    public long RetrainEveryEvents { get; set; } = 200_000;

    /// <summary>Retrain at least this often; zero turns the time trigger off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Share of the window, the newest rows, held out to compare the candidate with the live model.</summary>
    [Range(0.01, 0.5)]
    public double HeldOutFraction { get; set; } = 0.1;

    /// <summary>The candidate's mean held-out score may exceed the live model's by at most this fraction.</summary>
    [Range(0.0, 100.0)]
    public double ValidationMargin { get; set; } = 1.0;

    /// <summary>Path of the model settings (network, training, threshold) used for warm-up and retraining.</summary>
    [Required]
    public string ModelSettingsPath { get; set; } = "config/model.json";
}

/// <summary>Source-generated validation of <see cref="RetrainingOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class RetrainingOptionsValidator : IValidateOptions<RetrainingOptions>;
