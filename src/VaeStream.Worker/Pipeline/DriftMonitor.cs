using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Thresholds;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Watches the live model's decisions with an <see cref="AlarmRateGuard"/> and keeps the most recent rows, flagged
/// ones included. When the alarm rate says the stream has drifted, it asks for one retrain on those recent rows, so
/// a lasting shift becomes the new normal instead of starving the normal-only window and paging on every event.
/// Until the retrained model swaps in, flagged events are suppressed rather than published. A shift of one entity
/// alone is <see cref="Entities"/>' to tell. Pipeline thread only.
/// </summary>
internal sealed class DriftMonitor
{
    private readonly DriftOptions options;
    private readonly AlarmRateGuard guard;
    private readonly NormalWindow recent;
    // Null when the schema names no entities: every event is then the one stream's.
    private readonly FlaggedEntities? flaggedEntities;
    // Whether each recent row also joined the normal window, as a ring beside `recent`, and how many did.
    private readonly bool[] admittedRecent;
    private int nextRecent;
    private int admittedInRecent;

    /// <summary>Creates a monitor for models built with <paramref name="threshold"/>'s risk and drift settings.</summary>
    public DriftMonitor(FeatureSchema schema, ThresholdOptions threshold, PipelineOptions pipeline)
    {
        options = threshold.Drift;
        Entities = pipeline.EntityDrift && schema.EntityKeyPath is not null ? new EntityDriftMonitor(schema.FeatureCount, pipeline) : null;
        guard = new AlarmRateGuard(threshold.Risk, options.Factor, options.Window, options.Hold);
        flaggedEntities = schema.EntityKeyPath is null ? null : new FlaggedEntities(options.Window);
        recent = new NormalWindow(schema, options.RetrainRows);
        admittedRecent = new bool[options.RetrainRows];
    }

    /// <summary>
    /// The largest share of the guard's window's flagged events that one entity may hold for a fleet drift to be
    /// declared, when the window holds more than one entity's events. Flags that are nearly all one entity's are its
    /// fault or its own shift (<see cref="Entities"/>): a fleet drift would mute every entity's alarms and retrain the
    /// fleet's model on that entity's fault. A backlog is read partition by partition, so the window can hold two
    /// hosts' events only, and one host's run of flags then fills it: on the shared-cycle fleet of 8 hosts (seed 44),
    /// 89–91% of the flags in the 1,500 events before a declared drift were one host's, and the drift retrain muted
    /// the rest of the backlog (7 of 13 runs). A shift of every host read two at a time gives each about half.
    /// </summary>
    public const double MaxEntityShare = 0.8;

    /// <summary>Each entity's own shifts, when enabled and the schema names entities.</summary>
    public EntityDriftMonitor? Entities { get; }

    /// <summary>Drift was declared and the model that learns the new level has not yet swapped in.</summary>
    public bool Drifting { get; private set; }

    /// <summary>A drift retrain is wanted and has not been started yet.</summary>
    public bool RetrainDue { get; private set; }

    /// <summary>The flagged share over the guard's window when drift was last declared.</summary>
    public double DeclaredShare { get; private set; }

    /// <summary>
    /// Counts one scored event, <paramref name="admitted"/> when it also joined the normal window; true on the event
    /// at which drift is declared.
    /// </summary>
    public bool Observe(ReadOnlySpan<float> row, string? entity, bool flagged, bool admitted)
    {
        recent.Add(row, entity);
        admittedInRecent += (admitted ? 1 : 0) - (admittedRecent[nextRecent] ? 1 : 0);
        admittedRecent[nextRecent] = admitted;
        nextRecent = (nextRecent + 1) % admittedRecent.Length;
        double share = guard.FlaggedShare;
        flaggedEntities?.Observe(entity, flagged);
        if (!options.Enabled || Drifting || !guard.Observe(flagged))
        {
            return false;
        }

        // The guard has started afresh; so does the count of who raised the flags. A window of one entity's events (a
        // fleet of one, or a backlog's partition of one host) has nobody to compare with, and drifts as before.
        bool oneEntitysFlags = flaggedEntities?.OneEntityRaisedMoreThan(MaxEntityShare) == true;
        flaggedEntities?.Reset();
        if (oneEntitysFlags)
        {
            return false;
        }

        DeclaredShare = share;
        Drifting = RetrainDue = true;
        return true;
    }

    /// <summary>
    /// The rows for the drift retrain (<see cref="DriftRetrainRows"/>): the recent rows, and as history the normal
    /// window without the recent rows it also holds, so that no row is both history and recent. A row in both would
    /// be trained on as a recent row and still sit in the held-out tail as history, where the threshold is calibrated.
    /// Clears the request.
    /// </summary>
    public DriftRetrainWindow TakeRetrainWindow(NormalWindow normal)
    {
        RetrainDue = false;
        return DriftRetrainRows.Compose(normal.Snapshot(skipNewest: admittedInRecent), recent.Snapshot());
    }

    /// <summary>
    /// A drift retrain ended without a usable model: ask again, so the storm does not stay suppressed on a model that
    /// no longer fits the stream.
    /// </summary>
    public void RetrainFailed() => RetrainDue = RetrainDue || Drifting;

    /// <summary>
    /// A new model went live: its decisions are watched from scratch. One that did not learn the recent rows (a
    /// scheduled retrain on the normal-only window that was already running) leaves a declared drift pending.
    /// </summary>
    public void ModelSwapped(bool learnedRecentRows)
    {
        guard.Reset();
        flaggedEntities?.Reset();
        if (learnedRecentRows)
        {
            Entities?.Reset();
        }

        if (learnedRecentRows || !Drifting)
        {
            Drifting = RetrainDue = false;
        }
    }

    /// <summary>
    /// The features that moved most: the mean of the recent rows in the live model's scaled units (0 is its training
    /// mean), largest magnitude first.
    /// </summary>
    public IReadOnlyList<(string Feature, double Shift)> MovedFeatures(AnomalyDetector detector, int count)
    {
        FeatureTable rows = recent.Snapshot();
        int features = rows.Schema.FeatureCount;
        double[] shift = new double[features];
        for (int r = 0; r < rows.Rows; r++)
        {
            for (int f = 0; f < features; f++)
            {
                shift[f] += (rows.Values[r * features + f] - detector.Scaler.Center[f]) / detector.Scaler.Scale[f];
            }
        }

        return [.. Enumerable.Range(0, features)
            .Select(f => (rows.Schema.Features[f].Name, Shift: rows.Rows == 0 ? 0 : shift[f] / rows.Rows))
            .OrderByDescending(p => Math.Abs(p.Shift))
            .Take(count)];
    }
}
