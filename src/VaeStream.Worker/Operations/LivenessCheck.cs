using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Operations;

/// <summary>
/// <c>/healthz</c>: live unless input is waiting and the pipeline has made no progress for
/// <c>Operations:StallTimeout</c>; a restart is then the useful action. An idle worker with nothing to read is live.
/// </summary>
internal sealed class LivenessCheck(WorkerMetrics metrics, IOptions<OperationsOptions> options) : IHealthCheck
{
    /// <summary>The tag <c>/healthz</c> selects.</summary>
    public const string Tag = "live";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        TimeSpan stallTimeout = options.Value.StallTimeout;
        long waiting = metrics.InputWaiting;
        TimeSpan idle = metrics.SinceProgress;
        return Task.FromResult(waiting > 0 && idle > stallTimeout
            ? HealthCheckResult.Unhealthy($"stalled: no progress for {idle.TotalSeconds:F0}s with {waiting} events waiting (Operations:StallTimeout {stallTimeout})")
            : HealthCheckResult.Healthy($"live: last progress {idle.TotalSeconds:F1}s ago, {waiting} events waiting"));
    }
}
