using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VaeStream.Model.Network;

/// <summary>What one pass through the VAE gives.</summary>
/// <param name="Mean">Reconstruction mean, [batch, input].</param>
/// <param name="LogVariance">Per-feature reconstruction log-variance, or null when the variance is not learned.</param>
/// <param name="LatentMean">μ of q(z|x), [batch, latent].</param>
/// <param name="LatentLogVariance">log σ² of q(z|x), [batch, latent].</param>
internal readonly record struct VaeOutput(Tensor Mean, Tensor? LogVariance, Tensor LatentMean, Tensor LatentLogVariance);

/// <summary>
/// Encoder MLP → (μ, log σ²) → reparameterised z → decoder MLP → reconstruction mean (and optionally log-variance).
/// Field names are the state-dict keys of saved models: renaming one breaks every checkpoint.
/// </summary>
internal sealed class VariationalAutoencoder : Module<Tensor, VaeOutput>
{
    // Keeps the reconstruction log-variance in a range where exp() neither vanishes nor explodes.
    // Held for the process, not converted per call: see HeldScalars.
    private static readonly Scalar MinLogVariance = (-7.0).ToScalar();
    private static readonly Scalar MaxLogVariance = 7.0.ToScalar();

    private readonly Sequential encoder;
    private readonly Linear latent_mean;
    private readonly Linear latent_logvar;
    private readonly Sequential decoder;
    private readonly Linear output_mean;
    private readonly Linear? output_logvar;

    /// <summary>
    /// Builds the layers. With <paramref name="seed"/>, weights are redrawn from a generator of their own, so the
    /// same seed gives the same model whatever other threads do with torch's global generator.
    /// </summary>
    public VariationalAutoencoder(int inputSize, NetworkOptions options, long? seed = null) : base(nameof(VariationalAutoencoder))
    {
        options.Validate();
        InputSize = inputSize;
        Options = options;
        encoder = Stack(inputSize, options.HiddenSizes);
        int encoded = options.HiddenSizes[^1];
        latent_mean = Linear(encoded, options.LatentSize);
        latent_logvar = Linear(encoded, options.LatentSize);
        int[] reversed = options.HiddenSizes.Reverse().ToArray();
        decoder = Stack(options.LatentSize, reversed);
        output_mean = Linear(reversed[^1], inputSize);
        output_logvar = options.LearnVariance ? Linear(reversed[^1], inputSize) : null;
        RegisterComponents();
        if (seed is not null)
        {
            Reinitialize(seed.Value);
        }
    }

    /// <summary>Width of one model input.</summary>
    public int InputSize { get; }

    /// <summary>The shape it was built with.</summary>
    public NetworkOptions Options { get; }

    /// <summary>Encodes, samples z with the reparameterisation trick (noise from <paramref name="generator"/>), decodes.</summary>
    public VaeOutput Sample(Tensor input, Generator? generator)
    {
        (Tensor mu, Tensor logVar) = Encode(input);
        Tensor noise = randn(mu.shape, generator: generator);
        Tensor z = mu.add(noise * logVar.mul(HeldScalars.Half).exp(), HeldScalars.One);
        (Tensor mean, Tensor? outLogVar) = Decode(z);
        return new VaeOutput(mean, outLogVar, mu, logVar);
    }

    /// <summary>Deterministic pass: decodes the latent mean.</summary>
    public override VaeOutput forward(Tensor input)
    {
        (Tensor mu, Tensor logVar) = Encode(input);
        (Tensor mean, Tensor? outLogVar) = Decode(mu);
        return new VaeOutput(mean, outLogVar, mu, logVar);
    }

    /// <summary>q(z|x): the latent mean and log-variance.</summary>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor input)
    {
        Tensor hidden = encoder.forward(input);
        return (latent_mean.forward(hidden), latent_logvar.forward(hidden));
    }

    /// <summary>p(x|z): the reconstruction mean and, when learned, its log-variance.</summary>
    public (Tensor Mean, Tensor? LogVariance) Decode(Tensor z)
    {
        Tensor hidden = decoder.forward(z);
        Tensor? logVar = output_logvar?.forward(hidden).clamp(MinLogVariance, MaxLogVariance);
        return (output_mean.forward(hidden), logVar);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            latent_mean.Dispose();
            latent_logvar.Dispose();
            decoder.Dispose();
            output_mean.Dispose();
            output_logvar?.Dispose();
        }

        base.Dispose(disposing);
    }

    // PyTorch's default Linear initialisation, U(−1/√fan_in, 1/√fan_in) for weights and biases, from a private generator.
    private void Reinitialize(long seed)
    {
        using var generator = new Generator((ulong)seed);
        using IDisposable noGrad = no_grad();
        foreach (Linear layer in modules().OfType<Linear>())
        {
            double bound = 1 / Math.Sqrt(layer.weight!.shape[1]);
            layer.weight.uniform_(-bound, bound, generator);
            layer.bias?.uniform_(-bound, bound, generator);
        }
    }

    private static Sequential Stack(int input, int[] widths)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int previous = input;
        for (int i = 0; i < widths.Length; i++)
        {
            layers.Add(($"linear{i}", Linear(previous, widths[i])));
            layers.Add(($"relu{i}", ReLU()));
            previous = widths[i];
        }

        return Sequential(layers);
    }
}
