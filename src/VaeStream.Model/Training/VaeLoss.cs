using VaeStream.Model.Network;
using static TorchSharp.torch;

namespace VaeStream.Model.Training;

/// <summary>The negative ELBO per row: Gaussian reconstruction NLL (constant dropped) + β·KL(q(z|x) ‖ N(0, I)).</summary>
internal static class VaeLoss
{
    public static Tensor Compute(VaeOutput output, Tensor input, double beta)
    {
        Tensor squared = (input - output.Mean).pow(2);
        Tensor reconstruction = output.LogVariance is null
            ? 0.5 * squared.sum(1)
            : 0.5 * (output.LogVariance + squared / output.LogVariance.exp()).sum(1);
        Tensor kl = -0.5 * (1 + output.LatentLogVariance - output.LatentMean.pow(2) - output.LatentLogVariance.exp()).sum(1);
        return (reconstruction + beta * kl).mean();
    }
}
