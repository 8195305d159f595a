namespace VaeStream.Model.Network;

/// <summary>The shape of the VAE.</summary>
public sealed record NetworkOptions
{
    /// <summary>Hidden layer widths of the encoder; the decoder mirrors them.</summary>
    public int[] HiddenSizes { get; init; } = [128, 128];

    /// <summary>Width of the latent space.</summary>
    public int LatentSize { get; init; } = 8;

    /// <summary>Whether the decoder also outputs a per-feature log-variance (needed for a learned-variance NLL).</summary>
    public bool LearnVariance { get; init; }

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public NetworkOptions Validate()
    {
        if (HiddenSizes.Length is < 1 or > 8 || HiddenSizes.Any(h => h is < 1 or > 4096))
        {
            throw new ArgumentException("network.hiddenSizes: 1 to 8 layers, each 1..4096 wide.");
        }

        return LatentSize is < 1 or > 1024 ? throw new ArgumentException($"network.latentSize: {LatentSize} is out of range; allowed 1..1024.") : this;
    }
}
