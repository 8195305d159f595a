using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Training;

/// <summary>
/// The negative ELBO per row: Gaussian reconstruction NLL (constant dropped) + β·KL(q(z|x) ‖ N(0, I)), averaged over
/// the batch, or over its rows of smallest loss when <c>trimShare</c> &gt; 0.
/// </summary>
internal static class VaeLoss
{
    public static Tensor Compute(VaeOutput output, Tensor input, double beta, double trimShare = 0)
    {
        // Written with held Scalars, not numbers: see HeldScalars for why.
        Tensor squared = (input - output.Mean).pow(HeldScalars.Two);
        Tensor reconstruction = output.LogVariance is null
            ? squared.sum(1).mul(HeldScalars.Half)
            : output.LogVariance.add(squared / output.LogVariance.exp(), HeldScalars.One).sum(1).mul(HeldScalars.Half);
        Tensor kl = (output.LatentLogVariance.add(HeldScalars.One, HeldScalars.One) - output.LatentMean.pow(HeldScalars.Two) - output.LatentLogVariance.exp())
            .sum(1).mul(HeldScalars.MinusHalf);
        using Scalar weight = beta.ToScalar();
        Tensor perRow = reconstruction.add(kl.mul(weight), HeldScalars.One);
        int rows = (int)perRow.shape[0];
        int kept = rows - (int)(rows * trimShare);
        return kept < rows && kept > 0 ? perRow.topk(kept, largest: false).values.mean() : perRow.mean();
    }
}
