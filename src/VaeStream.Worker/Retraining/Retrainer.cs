using Microsoft.Extensions.Logging;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Training;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Operations;

namespace VaeStream.Worker.Retraining;

/// <summary>Trains a detector; the worker uses <see cref="DetectorTrainer.Train"/>, tests can inject faults.</summary>
internal delegate AnomalyDetector TrainDetector(FeatureTable rows, DetectorOptions options, int version, CancellationToken cancellationToken);

/// <summary>
/// Decides when to retrain (every N scored events and/or every interval) and trains on the process's training thread
/// while scoring goes on. A candidate that passes <see cref="CandidateValidator"/> is checkpointed and handed to the
/// pipeline thread, which swaps it in between two batches; the pipeline is the only scorer, so the old model is
/// disposed only after its in-flight scoring has finished. On shutdown a running retrain is cancelled at its next
/// epoch, so stopping never waits for a whole training.
/// </summary>
internal sealed class Retrainer(RetrainingOptions options, DetectorOptions detectorOptions, CheckpointStore checkpoints,
    WorkerMetrics metrics, TimeProvider time, ILogger<Retrainer> logger, TrainDetector? train = null) : IDisposable
{
    /// <summary>How long shutdown waits for a cancelled retrain to reach its next epoch boundary.</summary>
    public static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(5);

    // The normal window is recent traffic in time order, so its last fifth is its last hours. In a fleet that shares
    // one daily cycle, a retrain calibrated there had never been held out on the rest of the day, and those hours
    // paged (README "Held-out rows"). So a scheduled retrain holds out rows spread over the whole window. A drift
    // retrain keeps the tail: its held-out rows must be the newest recent rows, the new level (DriftRetrainRows). The
    // warm-up keeps it too: spread, the first model's threshold varied more on the held-out stream with faults in
    // its warm-up (precision 0.851-0.989 over 12 runs, one run missing a correlation break, against 0.937-0.976).
    private readonly DetectorOptions scheduledRetrainOptions = detectorOptions with
    {
        Training = detectorOptions.Training with { Holdout = HoldoutLayout.Spread },
    };

    private readonly TrainDetector trainDetector = train ?? ((rows, o, version, cancel) => DetectorTrainer.Train(rows, o, version, cancellationToken: cancel));
    private readonly TrainingThread trainingThread = new();
    private readonly CancellationTokenSource shutdown = new();
    private Task<AnomalyDetector?>? running;
    private int runningVersion;
    private long eventsSinceLast;
    private long lastStarted = time.GetTimestamp();

    /// <summary>Whether a retrain is in progress.</summary>
    public bool IsRunning => running is not null;

    /// <summary>Counts scored events towards the next trigger.</summary>
    public void OnScored(int events) => eventsSinceLast += events;

    /// <summary>
    /// Whether a trigger has fired and no retrain is running. The time trigger waits for an event scored since the last
    /// retrain: the pipeline also asks when the stream is quiet (<see cref="Pipeline.ScoringLoop.IdleTick"/>), and a
    /// retrain on the window it already learned would only add a version.
    /// </summary>
    public bool Due =>
        running is null
        && ((options.RetrainEveryEvents > 0 && eventsSinceLast >= options.RetrainEveryEvents)
            || (options.RetrainInterval > TimeSpan.Zero && eventsSinceLast > 0 && time.GetElapsedTime(lastStarted) >= options.RetrainInterval));

    /// <summary>
    /// Trains the first model synchronously (warm-up), checkpoints it and returns it. The warm-up events are raw
    /// traffic, anomalies included, unlike a retrain's window; a model trained on them learns a long anomaly as normal
    /// and misses its repeats (measured on the demo: a 25-minute latency spike in the warm-up scored 40–60 against a
    /// threshold of 47 until the first retrain, then 700–1000). So a screening model is fitted first, with a trimmed
    /// loss, and the one that goes live is fitted on the rows the screen did not cut (<see cref="WarmupScreen"/>). The
    /// cut is the screen's threshold itself, not the window's looser bound (<see cref="WindowAdmission"/>): nothing has
    /// vetted these rows yet.
    /// </summary>
    public AnomalyDetector TrainInitial(FeatureTable rows)
    {
        int version = checkpoints.NextVersion(0);
        AnomalyDetector detector = TrainScreened(rows, version, CancellationToken.None);
        string? problem = CandidateValidator.Check(detector, null, rows, options.ValidationMargin);
        if (problem is not null)
        {
            detector.Dispose();
            throw new InvalidOperationException($"The warm-up model is unusable: {problem}.");
        }

        Publish(detector);
        return detector;
    }

    /// <summary>
    /// Does the warm-up again, screen and refit as <see cref="TrainInitial"/>, on <paramref name="rows"/>: the events
    /// since the warm-up began, once they span a whole day of event time (<see cref="DayCoverage"/>), on the calling
    /// thread. Returns the validated, checkpointed model, or null (logged, counted) when it failed and the live one stays.
    /// </summary>
    public AnomalyDetector? RedoWarmup(FeatureTable rows, AnomalyDetector live) => RunInline(live, rows.Rows, WarmupRedo(rows));

    /// <summary>As <see cref="RedoWarmup"/>, on the training thread while scoring goes on; the result comes through <see cref="TakeFinished"/>.</summary>
    public void StartWarmupRedo(FeatureTable rows, AnomalyDetector live) => Run(live, rows.Rows, WarmupRedo(rows));

    private Func<int, AnomalyDetector?> WarmupRedo(FeatureTable rows) =>
        version => TrainAndValidate(rows, TrainOnWholeDay, candidate => CandidateValidator.Check(candidate, null, rows, options.ValidationMargin), version);

    // A redo's rows cover the whole day, so its held-out rows are spread over it like a scheduled retrain's: held out
    // on the tail, the day's last hours, the threshold sat above the quiet hours' faults (on the shared-cycle fleet,
    // latency recall 0.12 against 1.00).
    private AnomalyDetector TrainOnWholeDay(FeatureTable rows, int version, CancellationToken cancellationToken) =>
        TrainScreened(rows, version, cancellationToken, HoldoutLayout.Spread);

    // The warm-up's two fits: a screening model with a trimmed loss, then the model fitted on what it did not cut.
    private AnomalyDetector TrainScreened(FeatureTable rows, int version, CancellationToken cancellationToken, HoldoutLayout holdout = HoldoutLayout.Tail)
    {
        DetectorOptions liveOptions = detectorOptions with { Training = detectorOptions.Training with { Holdout = holdout } };
        DetectorOptions screenOptions = liveOptions with { Training = liveOptions.Training with { TrimShare = WarmupScreen.TrimShare } };
        AnomalyDetector screen = trainDetector(rows, screenOptions, version, cancellationToken);
        (FeatureTable kept, int aboveThreshold, int inExcursions) = WarmupScreen.Apply(rows, screen);
        screen.Dispose();
        if (kept.Rows < rows.Rows)
        {
            Log.WarmupRefit(logger, aboveThreshold, inExcursions, rows.Rows);
        }

        return trainDetector(kept, liveOptions, version, cancellationToken);
    }

    /// <summary>
    /// Starts a scheduled retrain on <paramref name="window"/> (a snapshot of the normal window) against the live model.
    /// The window's lasting excursions are left out (<see cref="LastingExcursions"/>): the window keeps events up to
    /// twice the threshold, so it holds the mild faults, and a candidate calibrated on them raises the threshold with
    /// every retrain. Of the rest, the newest <c>HeldOutFraction</c> is held out to validate the candidate on, and the
    /// trainer holds out its own rows spread over what remains (<see cref="HoldoutLayout.Spread"/>).
    /// </summary>
    public void Start(ScoredRows window, AnomalyDetector live) =>
        Run(live, window.Rows.Rows, version =>
        {
            FeatureTable rows = WithoutExcursions(window, LastingExcursions.Reach(window.Rows.Schema, live), version);
            int heldOutRows = Math.Max(1, (int)(rows.Rows * options.HeldOutFraction));
            (FeatureTable trainRows, FeatureTable heldOut) = Split(rows, rows.Rows - heldOutRows);
            return TrainAndValidate(trainRows, (r, v, cancel) => trainDetector(r, scheduledRetrainOptions, v, cancel), candidate => CandidateValidator.Check(candidate, live, heldOut, options.ValidationMargin), version);
        });

    /// <summary>
    /// Starts a drift retrain on <paramref name="window"/> against the live model. The candidate is validated on the
    /// window's newest rows, which its trainer holds out: the new level, on which the live model is the one known to be
    /// wrong (<see cref="CandidateValidator.CheckDrift"/>). The newest history next to them was not flagged by the live
    /// model, so it would favour the live model.
    /// </summary>
    public void Start(DriftRetrainWindow window, AnomalyDetector live) => Run(live, window.Rows.Rows, DriftRetrain(window));

    /// <summary>
    /// As <see cref="Start(DriftRetrainWindow, AnomalyDetector)"/>, on the calling thread; returns the validated,
    /// checkpointed model, or null (logged, counted) when it failed and the live one stays.
    /// </summary>
    public AnomalyDetector? RetrainForDrift(DriftRetrainWindow window, AnomalyDetector live) => RunInline(live, window.Rows.Rows, DriftRetrain(window));

    private Func<int, AnomalyDetector?> DriftRetrain(DriftRetrainWindow window) => version =>
    {
        (_, FeatureTable newest) = Split(window.Rows, window.Rows.Rows - window.NewestRows);
        return TrainAndValidate(window.Rows, (r, v, cancel) => trainDetector(r, detectorOptions, v, cancel), candidate => CandidateValidator.CheckDrift(candidate, newest), version);
    };

    // The split and the training both run on the training thread, not on the pipeline thread that calls Start.
    private void Run(AnomalyDetector live, int rows, Func<int, AnomalyDetector?> trainAndValidate)
    {
        int version = Begin(live, rows);
        runningVersion = version;
        running = trainingThread.Run(() => trainAndValidate(version));
    }

    private AnomalyDetector? RunInline(AnomalyDetector live, int rows, Func<int, AnomalyDetector?> trainAndValidate) =>
        trainAndValidate(Begin(live, rows));

    private int Begin(AnomalyDetector live, int rows)
    {
        eventsSinceLast = 0;
        lastStarted = time.GetTimestamp();
        int version = checkpoints.NextVersion(live.Metadata.Version);
        Log.RetrainStarted(logger, version, rows);
        return version;
    }

    /// <summary>The accepted candidate once the running retrain has finished, else null.</summary>
    public AnomalyDetector? TakeFinished()
    {
        if (running is not { IsCompleted: true } finished)
        {
            return null;
        }

        running = null;
        return finished.Result;
    }

    /// <summary>
    /// A stop was requested: a running retrain, in the background or inline (<see cref="RedoWarmup"/>,
    /// <see cref="RetrainForDrift"/>), stops at its next epoch and is discarded, so that the scoring thread drains what
    /// was read within the shutdown budget.
    /// </summary>
    public void StopTraining() => shutdown.Cancel();

    /// <summary>Shutdown: cancels a running retrain, waits up to <see cref="CancelWait"/> for it to stop, and discards its result.</summary>
    public void Abandon()
    {
        shutdown.Cancel();
        if (running is { } retrain)
        {
            if (retrain.Wait(CancelWait))
            {
                retrain.Result?.Dispose();
            }
            else
            {
                // On a saturated machine the nice-19 training thread may not reach its next epoch in time; the
                // process exits without waiting for it, and nothing of it is published or checkpointed.
                Log.RetrainAbandoned(logger, runningVersion, CancelWait.TotalSeconds);
            }
        }

        running = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        shutdown.Cancel();
        trainingThread.Dispose();
        shutdown.Dispose();
    }

    private AnomalyDetector? TrainAndValidate(FeatureTable trainRows, Func<FeatureTable, int, CancellationToken, AnomalyDetector> fit,
        Func<AnomalyDetector, string?> validate, int version)
    {
        // On the training thread (one torch thread), or on the scoring thread for an inline redo or drift retrain.
        long started = time.GetTimestamp();
        AnomalyDetector? candidate = null;
        try
        {
            candidate = fit(trainRows, version, shutdown.Token);
            string? problem = validate(candidate);
            if (problem is not null)
            {
                Log.RetrainRejected(logger, version, problem);
                metrics.RetrainFinished(Record(version, false, started, trainRows.Rows, problem));
                candidate.Dispose();
                return null;
            }

            Publish(candidate);
            metrics.RetrainFinished(Record(version, true, started, trainRows.Rows));
            return candidate;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            Log.RetrainCancelled(logger, version);
            candidate?.Dispose();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed retrain leaves the live model in place; the next trigger tries again.
            Log.RetrainFailed(logger, e, version);
            metrics.RetrainFinished(Record(version, false, started, trainRows.Rows, e.Message));
            candidate?.Dispose();
            return null;
        }
    }

    private RetrainRecord Record(int version, bool accepted, long started, int rows, string? reason = null) =>
        new(version, accepted, time.GetElapsedTime(started).TotalSeconds, rows, started, time.GetTimestamp(), reason);

    private void Publish(AnomalyDetector detector)
    {
        string path = checkpoints.Save(detector);
        ModelMetadata m = detector.Metadata;
        Log.ModelLive(logger, m.Version, detector.Threshold.Value, m.TrainingRows, m.DurationSeconds, path);
    }

    private FeatureTable WithoutExcursions(ScoredRows window, int reach, int version)
    {
        bool[] excursion = LastingExcursions.Find(window.RelativeScores, window.Rows.EntityKeys, reach);
        int[] kept = [.. Enumerable.Range(0, window.Rows.Rows).Where(r => !excursion[r])];
        if (kept.Length < window.Rows.Rows)
        {
            Log.RetrainExcursionsLeftOut(logger, version, window.Rows.Rows - kept.Length, window.Rows.Rows);
        }

        return window.Rows.SelectRows(kept);
    }

    private static (FeatureTable Head, FeatureTable Tail) Split(FeatureTable table, int at)
    {
        int f = table.Schema.FeatureCount;
        return (new FeatureTable(table.Schema, table.Values[..(at * f)], table.EntityKeys?[..at]),
            new FeatureTable(table.Schema, table.Values[(at * f)..], table.EntityKeys?[at..]));
    }
}
