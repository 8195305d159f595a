using Microsoft.Extensions.Logging;

namespace VaeStream.Worker;

internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Loaded checkpoint {Path} (model version {ModelVersion})")]
    public static partial void CheckpointLoaded(ILogger logger, string path, int modelVersion);

    [LoggerMessage(101, LogLevel.Error, "Skipped checkpoint {Path}: {Reason}")]
    public static partial void CheckpointSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(102, LogLevel.Information, "No usable checkpoint: buffering {WarmupEvents} events to train the first model")]
    public static partial void WarmupStarted(ILogger logger, int warmupEvents);

    [LoggerMessage(103, LogLevel.Information, "Model version {ModelVersion} trained and checkpointed: threshold {Threshold:G4}, {Rows} rows in {Seconds:F1}s, saved to {Path}")]
    public static partial void ModelLive(ILogger logger, int modelVersion, double threshold, int rows, double seconds, string path);

    [LoggerMessage(104, LogLevel.Warning, "Retrain to version {ModelVersion} rejected: {Reason}")]
    public static partial void RetrainRejected(ILogger logger, int modelVersion, string reason);

    [LoggerMessage(105, LogLevel.Information, "Retrain to version {ModelVersion} started on {Rows} recent normal events")]
    public static partial void RetrainStarted(ILogger logger, int modelVersion, int rows);

    [LoggerMessage(106, LogLevel.Debug, "Dead letter from {Topic} [{Partition}] @{Offset}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(107, LogLevel.Information, "Pipeline drained: {Scored} scored, {Flagged} flagged, {DeadLettered} dead-lettered")]
    public static partial void Drained(ILogger logger, long scored, long flagged, long deadLettered);

    [LoggerMessage(108, LogLevel.Error, "Retrain to version {ModelVersion} failed")]
    public static partial void RetrainFailed(ILogger logger, Exception exception, int modelVersion);

    [LoggerMessage(110, LogLevel.Information, "Model version {ModelVersion} now scores (replaced version {OldVersion})")]
    public static partial void Swapped(ILogger logger, int modelVersion, int oldVersion);

    [LoggerMessage(111, LogLevel.Information, "Warm-up buffered {Events} events: training the first model")]
    public static partial void WarmupTraining(ILogger logger, int events);

    [LoggerMessage(112, LogLevel.Information, "Metrics and health endpoint listening on {Urls} (/metrics, /healthz, /readyz)")]
    public static partial void OperationsEndpointListening(ILogger logger, string urls);

    [LoggerMessage(114, LogLevel.Warning, "Drift declared on model version {ModelVersion}: {FlaggedShare:P1} of recent events flagged, far above the risk; flagged events are suppressed until a model retrained on recent events goes live (at {Topic} [{Partition}] @{Offset})")]
    public static partial void DriftDeclared(ILogger logger, int modelVersion, double flaggedShare, string topic, int partition, long offset);

    [LoggerMessage(120, LogLevel.Warning, "Entity {Entity} shifted for good: {Feature} moved {Shift:F1} residual scales from its own baseline; its new level is taken as its normal (at {Topic} [{Partition}] @{Offset})")]
    public static partial void EntityDriftDeclared(ILogger logger, string entity, string feature, double shift, string topic, int partition, long offset);

    [LoggerMessage(115, LogLevel.Information, "Drift retrain to version {ModelVersion} started on {Rows} recent events, flagged ones included")]
    public static partial void DriftRetrainStarted(ILogger logger, int modelVersion, int rows);

    [LoggerMessage(109, LogLevel.Information, "Worker started: group {GroupId}, topics {Topics}, schema {SchemaHash} ({Features} features, model settings profile '{Profile}'), batch ≤{BatchSize} events or ≤{BatchDelayMs} ms")]
    public static partial void Started(ILogger logger, string groupId, string topics, string schemaHash, int features, string profile, int batchSize, double batchDelayMs);

    [LoggerMessage(116, LogLevel.Information, "Incidents: {Count} open incidents read back from {Topic}; they continue when their entities' events arrive")]
    public static partial void IncidentsRecovered(ILogger logger, int count, string topic);

    [LoggerMessage(117, LogLevel.Information, "Warm-up: fitting the first model without {AboveThreshold} + {InExcursions} of {Rows} warm-up events, which its screening fit scored above its threshold or found in lasting excursions, so it neither learns them as normal nor sets its threshold on them")]
    public static partial void WarmupRefit(ILogger logger, int aboveThreshold, int inExcursions, int rows);

    [LoggerMessage(121, LogLevel.Information, "Retrain to version {ModelVersion}: {Cut} of {Rows} window events left out, in lasting excursions (runs of one entity's events above the 97.5% score quantile), so the candidate neither learns nor calibrates on mild faults")]
    public static partial void RetrainExcursionsLeftOut(ILogger logger, int modelVersion, int cut, int rows);

    [LoggerMessage(118, LogLevel.Information, "Retrain to version {ModelVersion} cancelled: the worker is stopping")]
    public static partial void RetrainCancelled(ILogger logger, int modelVersion);

    [LoggerMessage(119, LogLevel.Warning, "Retrain to version {ModelVersion} abandoned: still running {Seconds:F0} s after it was cancelled; the worker stops without it")]
    public static partial void RetrainAbandoned(ILogger logger, int modelVersion, double seconds);

    [LoggerMessage(122, LogLevel.Warning, "The warm-up's events span {Covered} of event time, less than Retraining:WarmupSpan ({Span}): the first model has not seen the rest of the cycle and may page on it or miss faults there. It scores meanwhile, and the warm-up is done again once the events kept span {Span}")]
    public static partial void WarmupShort(ILogger logger, TimeSpan covered, TimeSpan span);

    [LoggerMessage(123, LogLevel.Information, "Redoing the warm-up as version {ModelVersion} on {Rows} events spanning Retraining:WarmupSpan ({Span}) of event time, {Where}")]
    public static partial void WarmupRedoStarted(ILogger logger, int modelVersion, int rows, TimeSpan span, string where);

    [LoggerMessage(124, LogLevel.Warning, "Model version {ModelVersion} was trained on a warm-up that spanned less than Retraining:WarmupSpan ({Span}), and the worker stopped before the warm-up was redone: the events read from now on are kept, and the warm-up is done again once they span {Span}")]
    public static partial void WarmupRedoResumed(ILogger logger, int modelVersion, TimeSpan span);
}
