using System.Runtime.InteropServices;
using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Scoring;

/// <summary>
/// Scores model inputs in one forward pass per batch. The score and its per-feature contributions (which sum to
/// it) are for the newest row of each window. Synchronous: all tensor work stays inside one dispose scope.
/// <paramref name="residualScale"/> (one value per feature) is needed by <see cref="ScoreKind.Weighted"/> only.
/// </summary>
internal sealed class VaeScorer(VariationalAutoencoder model, int features, ScoringOptions options, float[]? residualScale = null)
{
    // Held for the process, not converted per call: see HeldScalars.
    private static readonly Scalar HalfLogTwoPi = 0.91893853320467274.ToScalar();

    private readonly float[]? inverseScale = InverseOf(residualScale, features, options.Kind);

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
        using IDisposable inference = inference_mode();
        Tensor batch = CopyIn(inputs.AsSpan(0, rows * width), rows, width);
        Tensor actual = batch.narrow(1, newest, features);
        Tensor contribution;
        Tensor reconstruction;
        if (Options.Kind is ScoreKind.Mse or ScoreKind.Weighted)
        {
            reconstruction = model.forward(batch).Mean.narrow(1, newest, features);
            Tensor error = actual - reconstruction;
            if (inverseScale is not null)
            {
                error *= CopyIn(inverseScale, 1, features);
            }

            contribution = error * error;
        }
        else
        {
            // One pass over L stacked copies is far cheaper than L passes: dispatch overhead dominates small batches.
            using var generator = new Generator(Options.Seed);
            int samples = Options.Samples;
            VaeOutput output = model.Sample(batch.repeat(samples, 1), generator);
            Tensor mean = output.Mean.narrow(1, newest, features).view(samples, rows, features);
            Tensor error = actual.unsqueeze(0) - mean;
            Tensor squared = error * error;
            Tensor nll = output.LogVariance is null
                ? squared.mul(HeldScalars.Half).add(HalfLogTwoPi, HeldScalars.One)
                : output.LogVariance.narrow(1, newest, features).view(samples, rows, features)
                    .add(squared / output.LogVariance.narrow(1, newest, features).view(samples, rows, features).exp(), HeldScalars.One)
                    .mul(HeldScalars.Half).add(HalfLogTwoPi, HeldScalars.One);
            contribution = nll.mean([0]);
            reconstruction = mean.mean([0]);
        }

        CopyOut(contribution.sum(1), scores[..rows]);
        CopyOut(contribution, contributions[..(rows * features)]);
        CopyOut(reconstruction, expected[..(rows * features)]);
    }

    private static float[]? InverseOf(float[]? scale, int features, ScoreKind kind)
    {
        if (kind != ScoreKind.Weighted)
        {
            return null;
        }

        if (scale is null || scale.Length != features || scale.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            throw new ArgumentException(
                $"the {kind} score needs a positive finite residual scale for each of the {features} features; got {(scale is null ? "none" : $"{scale.Length} values")}.");
        }

        return [.. scale.Select(s => 1 / s)];
    }

    // Span copies straight into and out of the tensor's native memory. TorchSharp's tensor(float[]) and
    // data<T>().ToArray() cost about as much per batch as the forward pass itself, so they are avoided on this path.
    private static Tensor CopyIn(ReadOnlySpan<float> source, int rows, int width)
    {
        Tensor batch = empty(rows, width, ScalarType.Float32);
        source.CopyTo(MemoryMarshal.Cast<byte, float>(batch.bytes));
        return batch;
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        Tensor dense = source.contiguous();
        MemoryMarshal.Cast<byte, float>(dense.bytes).CopyTo(destination);
    }
}
