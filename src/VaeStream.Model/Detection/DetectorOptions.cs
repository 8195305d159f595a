using System.Text.Json;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scaling;
using VaeStream.Model.Scoring;
using VaeStream.Model.Thresholds;
using VaeStream.Model.Training;

namespace VaeStream.Model.Detection;

/// <summary>Scaler settings.</summary>
public sealed record ScalerOptions
{
    /// <summary>Standard or robust.</summary>
    public ScalerKind Kind { get; init; } = ScalerKind.Standard;

    /// <summary>Absolute lower bound of a feature's scale.</summary>
    public float MinScale { get; init; } = 1e-4f;

    /// <summary>Lower bound of a feature's scale as a fraction of the median feature scale.</summary>
    public float RelativeMinScale { get; init; } = 0.5f;

    /// <summary>Scaled values are clipped to ±Clip.</summary>
    public float Clip { get; init; } = 100f;
}

/// <summary>Everything that decides how a detector is built: one profile of <see cref="DetectorSettings"/>.</summary>
public sealed record DetectorOptions
{
    /// <summary>The VAE's shape.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>How it is trained.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>How features are scaled.</summary>
    public ScalerOptions Scaler { get; init; } = new();

    /// <summary>How rows are scored.</summary>
    public ScoringOptions Scoring { get; init; } = new();

    /// <summary>How the threshold is chosen.</summary>
    public ThresholdOptions Threshold { get; init; } = new();

    /// <summary>Time window for schemas inferred from CSV columns; an explicit schema's window wins.</summary>
    public int Window { get; init; } = 1;

    /// <summary>Checks every section; the message names the key and the allowed range.</summary>
    public DetectorOptions Validate()
    {
        Network.Validate();
        Training.Validate();
        Scoring.Validate();
        Threshold.Validate();
        if (Scaler.MinScale is <= 0 or > 1e6f || Scaler.Clip is <= 0 || Scaler.RelativeMinScale is < 0 or > 100)
        {
            throw new ArgumentException(
                $"scaler.minScale must be in (0, 1e6], scaler.relativeMinScale in [0, 100] and scaler.clip > 0; found {Scaler.MinScale}, {Scaler.RelativeMinScale} and {Scaler.Clip}.");
        }

        return Window is < 1 or > 1000 ? throw new ArgumentException($"window: {Window} is out of range; allowed 1..1000.") : this;
    }

    /// <summary>These options as a settings file of one profile, in the form <see cref="DetectorSettings.Load"/> reads.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StrictJson);

    internal static readonly JsonSerializerOptions StrictJson = new(FeatureSchema.JsonOptions)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };
}
