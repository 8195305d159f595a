using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Scoring;

/// <summary>
/// Scores model inputs in one forward pass per batch. The score and its per-feature contributions (which sum to
/// it) are for the newest row of each window. Synchronous: all tensor work stays inside one dispose scope.
/// </summary>
public sealed class VaeScorer(VariationalAutoencoder model, int features, ScoringOptions options)
{
    private const double HalfLogTwoPi = 0.91893853320467274;

    /// <summary>The options in force.</summary>
    public ScoringOptions Options { get; } = options.Validate();

    /// <summary>
    /// Scores the first <paramref name="rows"/> inputs of <paramref name="inputs"/> (row-major, model width).
    /// Writes one score per row, and per row and feature the contribution and the expected (reconstructed) value
    /// in scaled units.
    /// </summary>
    public void Score(float[] inputs, int rows, Span<float> scores, Span<float> contributions, Span<float> expected)
    {
        int width = model.InputSize;
        int newest = width - features;
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Tensor batch = tensor(inputs, [inputs.Length / width, width]).narrow(0, 0, rows);
        Tensor actual = batch.narrow(1, newest, features);
        Tensor contribution;
        Tensor reconstruction;
        if (Options.Kind == ScoreKind.Mse)
        {
            reconstruction = model.forward(batch).Mean.narrow(1, newest, features);
            contribution = (actual - reconstruction).pow(2);
        }
        else
        {
            // One pass over L stacked copies is far cheaper than L passes: dispatch overhead dominates small batches.
            using var generator = new Generator(Options.Seed);
            int samples = Options.Samples;
            VaeOutput output = model.Sample(batch.repeat(samples, 1), generator);
            Tensor mean = output.Mean.narrow(1, newest, features).view(samples, rows, features);
            Tensor squared = (actual.unsqueeze(0) - mean).pow(2);
            Tensor nll = output.LogVariance is null
                ? HalfLogTwoPi + 0.5 * squared
                : HalfLogTwoPi + 0.5 * (output.LogVariance.narrow(1, newest, features).view(samples, rows, features)
                    + squared / output.LogVariance.narrow(1, newest, features).view(samples, rows, features).exp());
            contribution = nll.mean([0]);
            reconstruction = mean.mean([0]);
        }

        CopyOut(contribution.sum(1), scores);
        CopyOut(contribution.contiguous(), contributions[..(rows * features)]);
        CopyOut(reconstruction.contiguous(), expected[..(rows * features)]);
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        float[] values = source.data<float>().ToArray();
        values.AsSpan(0, Math.Min(values.Length, destination.Length)).CopyTo(destination);
    }
}
