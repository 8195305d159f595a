using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VaeStream.Worker.Operations;

/// <summary><c>/readyz</c>: ready once a model scores and the consumer has partitions, while a broker is reachable.</summary>
internal sealed class ReadinessCheck(WorkerMetrics metrics, TimeProvider time) : IHealthCheck
{
    /// <summary>The tag <c>/readyz</c> selects.</summary>
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (metrics.BrokerOutage is { } outage)
        {
            double seconds = Math.Max(0, (time.GetUtcNow() - outage.Since).TotalSeconds);
            return HealthCheckResult.Unhealthy($"not ready: no Kafka broker reachable for {seconds:F0}s (last error: {outage.LastError})");
        }

        if (metrics.ModelVersion == 0)
        {
            return HealthCheckResult.Unhealthy("not ready: no model yet (warm-up is buffering events to train the first one)");
        }

        int partitions = metrics.AssignedPartitions;
        return partitions == 0
            ? HealthCheckResult.Unhealthy($"not ready: model version {metrics.ModelVersion} loaded, waiting for the consumer group to assign partitions " +
                "(after a member of the group stopped without leaving it, the group waits for its session.timeout.ms)")
            : HealthCheckResult.Healthy($"ready: model version {metrics.ModelVersion}, {partitions} partitions assigned");
    }
}
