using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Training;

/// <summary>The negative ELBO per row: Gaussian reconstruction NLL (constant dropped) + β·KL(q(z|x) ‖ N(0, I)).</summary>
internal static class VaeLoss
{
    public static Tensor Compute(VaeOutput output, Tensor input, double beta)
    {
        // Written with held Scalars, not numbers: see HeldScalars for why.
        Tensor squared = (input - output.Mean).pow(HeldScalars.Two);
        Tensor reconstruction = output.LogVariance is null
            ? squared.sum(1).mul(HeldScalars.Half)
            : output.LogVariance.add(squared / output.LogVariance.exp(), HeldScalars.One).sum(1).mul(HeldScalars.Half);
        Tensor kl = (output.LatentLogVariance.add(HeldScalars.One, HeldScalars.One) - output.LatentMean.pow(HeldScalars.Two) - output.LatentLogVariance.exp())
            .sum(1).mul(HeldScalars.MinusHalf);
        using Scalar weight = beta.ToScalar();
        return reconstruction.add(kl.mul(weight), HeldScalars.One).mean();
    }
}
