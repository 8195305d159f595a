using System.Diagnostics;
using VaeStream.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeStream.Model.Training;

/// <summary>What a training run did.</summary>
/// <param name="EpochsRun">Epochs completed before early stopping or the maximum.</param>
/// <param name="BestEpoch">Epoch whose weights were kept (lowest validation loss).</param>
/// <param name="TrainLosses">Mean training loss per epoch.</param>
/// <param name="ValidationLosses">Validation loss per epoch.</param>
/// <param name="Duration">Wall time.</param>
internal sealed record TrainingResult(int EpochsRun, int BestEpoch, double[] TrainLosses, double[] ValidationLosses, TimeSpan Duration);

/// <summary>
/// Fits a VAE with Adam on row-major inputs. The last rows (<see cref="TrainingOptions.ValidationFraction"/>) are held
/// out; training stops after <see cref="TrainingOptions.Patience"/> epochs without improvement on them and the best
/// weights are restored. Synchronous: every step runs inside its own dispose scope on the calling thread.
/// </summary>
internal static class VaeTrainer
{
    /// <summary>Trains <paramref name="model"/> in place.</summary>
    public static TrainingResult Train(VariationalAutoencoder model, float[] inputs, int rows, TrainingOptions options,
        IProgress<EpochResult>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        int width = model.InputSize;
        int validationRows = options.ValidationRows(rows);
        int trainRows = rows - validationRows;
        if (trainRows < 2)
        {
            throw new ArgumentException($"{rows} rows are too few to train on; at least 3 are needed (one held out).");
        }

        var clock = Stopwatch.StartNew();
        var random = new Random((int)options.Seed);
        using var generator = new Generator((ulong)options.Seed);
        using var all = tensor(inputs, [inputs.Length / width, width]);
        using var train = all.narrow(0, 0, trainRows);
        using var validation = all.narrow(0, trainRows, validationRows);
        using var optimizer = new AdamOptimizer(model.parameters(), options.LearningRate);
        int[] order = Enumerable.Range(0, trainRows).ToArray();
        var trainLosses = new List<double>();
        var validationLosses = new List<double>();
        double best = double.PositiveInfinity;
        int bestEpoch = 0;
        Dictionary<string, Tensor>? bestWeights = null;

        try
        {
            int passes = options.PassesPerEpoch(trainRows);
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                model.train();
                double lossSum = 0;
                for (int pass = 0; pass < passes; pass++)
                {
                    random.Shuffle(order);
                    for (int start = 0; start < trainRows; start += options.BatchSize)
                    {
                        int size = Math.Min(options.BatchSize, trainRows - start);
                        using DisposeScope scope = NewDisposeScope();
                        Tensor index = tensor(order.AsSpan(start, size).ToArray(), ScalarType.Int64);
                        Tensor batch = train.index_select(0, index);
                        optimizer.ZeroGrad();
                        Tensor loss = VaeLoss.Compute(model.Sample(batch, generator), batch, options.Beta, options.TrimShare);
                        loss.backward();
                        optimizer.Step();
                        lossSum += loss.item<float>() * size;
                    }
                }

                double trainLoss = lossSum / ((double)trainRows * passes);
                double validationLoss = Evaluate(model, validation, options.Beta);
                trainLosses.Add(trainLoss);
                validationLosses.Add(validationLoss);
                progress?.Report(new EpochResult(epoch, options.Epochs, trainLoss, validationLoss, clock.Elapsed));

                if (validationLoss < best)
                {
                    best = validationLoss;
                    bestEpoch = epoch;
                    DisposeAll(bestWeights);
                    bestWeights = Snapshot(model);
                }
                else if (epoch - bestEpoch >= options.Patience || !double.IsFinite(validationLoss))
                {
                    break;
                }
            }

            if (bestWeights is not null)
            {
                model.load_state_dict(bestWeights);
            }
        }
        finally
        {
            DisposeAll(bestWeights);
        }

        model.eval();
        return new TrainingResult(trainLosses.Count, bestEpoch, [.. trainLosses], [.. validationLosses], clock.Elapsed);
    }

    private static double Evaluate(VariationalAutoencoder model, Tensor validation, double beta)
    {
        model.eval();
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        return VaeLoss.Compute(model.forward(validation), validation, beta).item<float>();
    }

    private static Dictionary<string, Tensor> Snapshot(VariationalAutoencoder model)
    {
        var copy = new Dictionary<string, Tensor>();
        foreach ((string name, Tensor value) in model.state_dict())
        {
            copy[name] = value.detach().clone().DetachFromDisposeScope();
        }

        return copy;
    }

    private static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        foreach (Tensor t in weights?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }
    }
}
