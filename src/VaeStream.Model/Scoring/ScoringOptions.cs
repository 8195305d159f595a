using System.Text.Json.Serialization;

namespace VaeStream.Model.Scoring;

/// <summary>How a row's anomaly score is computed from the VAE.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScoreKind>))]
public enum ScoreKind
{
    /// <summary>Squared reconstruction error of the decoder mean, decoded from the latent mean.</summary>
    Mse,

    /// <summary>Negative reconstruction log-likelihood averaged over L latent samples (An &amp; Cho 2015).</summary>
    Nll,

    /// <summary>
    /// Squared reconstruction error of the decoder mean with each feature's error divided by that feature's
    /// residual scale: how far it is normally reconstructed on held-out training rows. A feature the others predict
    /// tightly then weighs as much when it breaks that relation as a loosely predicted one does when it moves a lot.
    /// </summary>
    Weighted,
}

/// <summary>Scoring settings.</summary>
public sealed record ScoringOptions
{
    /// <summary>The score.</summary>
    public ScoreKind Kind { get; init; } = ScoreKind.Mse;

    /// <summary>Latent samples L for <see cref="ScoreKind.Nll"/>.</summary>
    public int Samples { get; init; } = 16;

    /// <summary>Seed of the latent samples, so the same model gives the same scores.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>
    /// Lower bound of a feature's residual scale, as a fraction of the median residual scale over the features: a
    /// feature reconstructed almost exactly in training (a constant, say) would otherwise weigh without bound.
    /// </summary>
    public float ResidualFloor { get; init; } = 0.1f;

    /// <summary>
    /// Scores are averaged over each entity's last <c>Smoothing</c> rows (its contributions with them, so they still
    /// sum to the score), and the threshold is calibrated on scores averaged the same way. A fault lasts several rows
    /// while a normal row's error is mostly noise, so the mean separates them better than one row's score. 1 turns it off.
    /// </summary>
    public int Smoothing { get; init; } = 1;

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public ScoringOptions Validate() =>
        Samples is < 1 or > 1024 ? throw new ArgumentException($"scoring.samples: {Samples} is out of range; allowed 1..1024.")
        : ResidualFloor is <= 0 or > 1 || float.IsNaN(ResidualFloor) ? throw new ArgumentException($"scoring.residualFloor: {ResidualFloor} is out of range; allowed (0, 1].")
        : Smoothing is < 1 or > 100 ? throw new ArgumentException($"scoring.smoothing: {Smoothing} is out of range; allowed 1..100 rows (1: off).")
        : this;
}
