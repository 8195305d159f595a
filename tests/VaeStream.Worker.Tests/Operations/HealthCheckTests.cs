using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Consuming;
using VaeStream.Worker.Operations;

namespace VaeStream.Worker.Tests.Operations;

/// <summary>The stall detector behind <c>/healthz</c>, on a fake clock.</summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(2);
    private readonly FakeTimeProvider time = new();
    private readonly WorkerMetrics metrics;
    private readonly LivenessCheck liveness;
    private int waiting;

    public HealthCheckTests()
    {
        metrics = new WorkerMetrics(time);
        metrics.Watch(new ConsumerStatus(), () => waiting);
        liveness = new LivenessCheck(metrics, Options.Create(new OperationsOptions { StallTimeout = StallTimeout }));
    }

    private HealthStatus Status() => liveness.CheckHealthAsync(new HealthCheckContext()).Result.Status;

    [Fact]
    public void Waiting_input_with_no_progress_for_the_stall_timeout_is_a_stall_and_progress_ends_it()
    {
        waiting = 5;
        time.Advance(StallTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Healthy, Status());

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HealthStatus.Unhealthy, Status());

        metrics.Progressed();
        Assert.Equal(HealthStatus.Healthy, Status());
    }

    [Fact]
    public void An_idle_worker_with_nothing_to_read_is_live_however_long_it_waits()
    {
        time.Advance(StallTimeout * 10);

        Assert.Equal(HealthStatus.Healthy, Status());
    }

    [Fact]
    public void Training_the_first_model_is_progress_however_long_it_takes()
    {
        waiting = 5;
        metrics.TrainingInline(true);
        time.Advance(StallTimeout * 3);
        Assert.Equal(HealthStatus.Healthy, Status());

        metrics.TrainingInline(false);
        time.Advance(StallTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, Status());
    }
}
