namespace VaeStream.Model.Detection;

/// <summary>Provenance of a trained model, saved in its checkpoint.</summary>
public sealed record ModelMetadata
{
    /// <summary>Monotonic model version; a retrain publishes version + 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>When training finished.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Rows the model was fitted on (validation tail included).</summary>
    public int TrainingRows { get; init; }

    /// <summary>Epochs run before early stopping.</summary>
    public int EpochsRun { get; init; }

    /// <summary>Epoch whose weights were kept.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Mean training loss per epoch.</summary>
    public double[] TrainLosses { get; init; } = [];

    /// <summary>Validation loss per epoch.</summary>
    public double[] ValidationLosses { get; init; } = [];

    /// <summary>Wall time of training, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Training seed.</summary>
    public long Seed { get; init; }
}
