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

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public ScoringOptions Validate() =>
        Samples is < 1 or > 1024 ? throw new ArgumentException($"scoring.samples: {Samples} is out of range; allowed 1..1024.") : this;
}
