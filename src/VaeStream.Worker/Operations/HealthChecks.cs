namespace VaeStream.Worker.Operations;

/// <summary>One health verdict and the reason a person reads.</summary>
public readonly record struct HealthVerdict(bool Healthy, string Reason);

/// <summary>Liveness and readiness, decided from the worker's metrics.</summary>
public sealed class HealthChecks(WorkerMetrics metrics, TimeSpan stallTimeout)
{
    /// <summary>
    /// Live unless input is waiting and the pipeline has made no progress for the stall timeout: a restart is then
    /// the useful action. An idle worker with nothing to read is live.
    /// </summary>
    public HealthVerdict Liveness()
    {
        long waiting = metrics.InputWaiting;
        TimeSpan idle = metrics.SinceProgress;
        return waiting > 0 && idle > stallTimeout
            ? new HealthVerdict(false, $"stalled: no progress for {idle.TotalSeconds:F0}s with {waiting} events waiting (Operations:StallTimeout {stallTimeout})")
            : new HealthVerdict(true, $"live: last progress {idle.TotalSeconds:F1}s ago, {waiting} events waiting");
    }

    /// <summary>Ready once a model scores and the consumer has partitions, while a broker is reachable.</summary>
    public HealthVerdict Readiness()
    {
        if (metrics.BrokerOutage is { } outage)
        {
            double seconds = Math.Max(0, (DateTimeOffset.UtcNow - outage.Since).TotalSeconds);
            return new HealthVerdict(false, $"not ready: no Kafka broker reachable for {seconds:F0}s (last error: {outage.LastError})");
        }

        if (metrics.ModelVersion == 0)
        {
            return new HealthVerdict(false, "not ready: no model yet (warm-up is buffering events to train the first one)");
        }

        int partitions = metrics.AssignedPartitions;
        return partitions == 0
            ? new HealthVerdict(false, $"not ready: model version {metrics.ModelVersion} loaded, waiting for the consumer group to assign partitions " +
                "(after a member of the group stopped without leaving it, the group waits for its session.timeout.ms, 45 s by default)")
            : new HealthVerdict(true, $"ready: model version {metrics.ModelVersion}, {partitions} partitions assigned");
    }
}
