using System.Text.Json.Serialization;

namespace VaeStream.Model.Training;

/// <summary>How the VAE is fitted.</summary>
public sealed record TrainingOptions
{
    /// <summary>Maximum passes over the training rows.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Rows per optimiser step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Weight β of the KL term.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Share of the training rows held out for early stopping and threshold calibration (<see cref="Holdout"/>).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Where the held-out rows are taken from: the end (the default, and the offline protocol's), or spread over all the
    /// rows. The worker chooses it for its own trainings (<c>Retrainer</c>), so it is not a model-settings key.
    /// </summary>
    [JsonIgnore]
    public HoldoutLayout Holdout { get; init; } = HoldoutLayout.Tail;

    /// <summary>How many of <paramref name="rows"/> training rows form the held-out tail (at least one).</summary>
    public int ValidationRows(int rows) => Math.Max(1, (int)(rows * ValidationFraction));

    /// <summary>
    /// The fewest optimiser steps between two validation checks. An epoch of a small training set is a few steps (600
    /// rows at batch 256: 2), so 30 of them leave the network far from fitted; such an epoch passes over its rows as
    /// many times as this needs. 1 (the code default): one pass, whatever the size.
    /// </summary>
    public int MinStepsPerEpoch { get; init; } = 1;

    /// <summary>Passes over <paramref name="trainRows"/> rows that make one epoch of at least <see cref="MinStepsPerEpoch"/> steps.</summary>
    public int PassesPerEpoch(int trainRows)
    {
        int steps = (trainRows + BatchSize - 1) / BatchSize;
        return Math.Max(1, (MinStepsPerEpoch + steps - 1) / Math.Max(1, steps));
    }

    /// <summary>Epochs without a better validation loss before training stops.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>
    /// Share of each batch's rows, those with the largest loss, left out of its gradient (a trimmed loss). 0 (the
    /// default) fits every row. The worker's warm-up screen uses it to find the anomalies in raw traffic: a few extreme
    /// rows dominate a squared loss, so a network fitted on every row learns them as normal.
    /// </summary>
    public double TrimShare { get; init; }

    /// <summary>Seed of weights, shuffling and sampling: the same seed and data give the same model.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public TrainingOptions Validate()
    {
        Require(Epochs is >= 1 and <= 10_000, $"training.epochs: {Epochs} is out of range; allowed 1..10000.");
        Require(BatchSize is >= 1 and <= 65_536, $"training.batchSize: {BatchSize} is out of range; allowed 1..65536.");
        Require(LearningRate is > 0 and <= 1, $"training.learningRate: {LearningRate} is out of range; allowed (0, 1].");
        Require(Beta is >= 0 and <= 100, $"training.beta: {Beta} is out of range; allowed 0..100.");
        Require(ValidationFraction is > 0 and < 0.9, $"training.validationFraction: {ValidationFraction} is out of range; allowed (0, 0.9).");
        Require(MinStepsPerEpoch is >= 1 and <= 100_000, $"training.minStepsPerEpoch: {MinStepsPerEpoch} is out of range; allowed 1..100000.");
        Require(TrimShare is >= 0 and <= 0.5, $"training.trimShare: {TrimShare} is out of range; allowed 0..0.5.");
        Require(Patience is >= 1 and <= 1000, $"training.patience: {Patience} is out of range; allowed 1..1000.");
        return this;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

/// <summary>One finished epoch, reported to progress displays.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="MaxEpochs">Configured maximum.</param>
/// <param name="TrainLoss">Mean loss per row over the epoch's training batches.</param>
/// <param name="ValidationLoss">Mean loss per row on the validation tail.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct EpochResult(int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss, TimeSpan Elapsed);
