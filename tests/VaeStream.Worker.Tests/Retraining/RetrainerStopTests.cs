using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VaeStream.Model;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Training;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>
/// The warm-up's redo trains on the scoring thread when the worker is catching up, so a stop request must reach it
/// there: the worker then drains what it read within the shutdown budget, with the first model.
/// </summary>
public sealed class RetrainerStopTests : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.ForColumns(["cpu", "mem"]);
    private readonly string directory = Directory.CreateTempSubdirectory("vaestream-retrainer-").FullName;

    public RetrainerStopTests() => TorchRuntime.Initialize();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_stop_request_cancels_an_inline_warm_up_redo_and_leaves_the_live_model()
    {
        var random = new Random(5);
        var rows = new FeatureTable(Schema, [.. Enumerable.Range(0, 1_000).Select(_ => (float)random.NextDouble())], null);
        var fast = new DetectorOptions
        {
            Network = new NetworkOptions { HiddenSizes = [8], LatentSize = 1 },
            Training = new TrainingOptions { Epochs = 2, BatchSize = 128 },
        };
        using AnomalyDetector live = DetectorTrainer.Train(rows, fast);
        using var trainingStarted = new ManualResetEventSlim();
        // A training that would run for minutes, ending only when cancelled, as a real one does at its next epoch.
        TrainDetector endless = (_, _, _, cancel) =>
        {
            trainingStarted.Set();
            cancel.WaitHandle.WaitOne(TimeSpan.FromMinutes(2));
            cancel.ThrowIfCancellationRequested();
            throw new InvalidOperationException("the training was not cancelled");
        };
        var metrics = new WorkerMetrics();
        var checkpoints = new CheckpointStore(Options.Create(new CheckpointOptions { Directory = directory }), NullLogger<CheckpointStore>.Instance);
        using var retrainer = new Retrainer(new RetrainingOptions(), fast, checkpoints, metrics, TimeProvider.System, NullLogger<Retrainer>.Instance, endless);

        Task<AnomalyDetector?> redo = Task.Run(() => retrainer.RedoWarmup(rows, live));
        Assert.True(trainingStarted.Wait(TimeSpan.FromSeconds(30)), "the redo never started training");
        retrainer.StopTraining();

        // Throws TimeoutException when the redo did not stop.
        Assert.Null(await redo.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(metrics.RetrainHistory);
        Assert.Empty(Directory.GetFiles(directory));
    }
}
