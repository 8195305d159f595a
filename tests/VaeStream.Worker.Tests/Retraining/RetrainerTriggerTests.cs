using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Model.Detection;
using VaeStream.Worker.Checkpoints;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Retraining;

namespace VaeStream.Worker.Tests.Retraining;

/// <summary>When a retrain is due: every N scored events, and every interval once an event came since the last one.</summary>
public sealed class RetrainerTriggerTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void The_interval_fires_only_once_an_event_was_scored_since_the_last_retrain_so_a_quiet_stream_is_not_retrained()
    {
        using Retrainer retrainer = EveryThousandEventsOrHour();

        time.Advance(TimeSpan.FromHours(2));
        Assert.False(retrainer.Due);
        retrainer.OnScored(1);
        Assert.True(retrainer.Due);
    }

    [Fact]
    public void The_event_count_fires_without_the_interval()
    {
        using Retrainer retrainer = EveryThousandEventsOrHour();

        retrainer.OnScored(999);
        Assert.False(retrainer.Due);
        retrainer.OnScored(1);
        Assert.True(retrainer.Due);
    }

    private Retrainer EveryThousandEventsOrHour()
    {
        var options = new RetrainingOptions { RetrainEveryEvents = 1_000, RetrainInterval = TimeSpan.FromHours(1) };
        var checkpoints = new CheckpointStore(Options.Create(new CheckpointOptions { Directory = Path.GetTempPath() }), NullLogger<CheckpointStore>.Instance);
        return new Retrainer(options, new DetectorOptions(), checkpoints, new WorkerMetrics(), time, NullLogger<Retrainer>.Instance);
    }
}
