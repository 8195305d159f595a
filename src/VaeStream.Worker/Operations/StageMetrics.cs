using Prometheus;

namespace VaeStream.Worker.Operations;

/// <summary>A stage of the pipeline's work on a micro-batch, in the order a batch goes through them.</summary>
internal enum PipelineStage
{
    /// <summary>JSON features read from each event (on the extraction thread when it runs ahead).</summary>
    Extract,

    /// <summary>Missing values filled, scaling and the entity window assembled.</summary>
    Prepare,

    /// <summary>The VAE's forward pass and the per-feature contributions.</summary>
    Score,

    /// <summary>Decisions, incident tracking, anomaly messages handed to the producer, and normal events completed.</summary>
    Publish,
}

/// <summary>
/// Time spent in each <see cref="PipelineStage"/>, as <c>vaestream_pipeline_stage_seconds_total{stage}</c> and as plain
/// totals: where a batch's time goes, so that a slow worker says which stage to look at. Timed per batch, not per
/// event, so the clock costs a few reads per batch.
/// </summary>
internal sealed class StageMetrics
{
    private static readonly PipelineStage[] Stages = Enum.GetValues<PipelineStage>();

    private readonly Counter.Child[] seconds;
    private readonly long[] ticks = new long[Stages.Length];

    internal StageMetrics(IMetricFactory factory)
    {
        Counter counter = factory.CreateCounter("vaestream_pipeline_stage_seconds_total",
            "Time the pipeline spent in each stage of its batches: extract, prepare, score, publish", ["stage"]);
        seconds = [.. Stages.Select(stage => counter.WithLabels(stage.ToString().ToLowerInvariant()))];
    }

    /// <summary>Time spent in <paramref name="stage"/> so far.</summary>
    public TimeSpan Total(PipelineStage stage) => TimeSpan.FromTicks(Interlocked.Read(ref ticks[(int)stage]));

    /// <summary>One batch's time in <paramref name="stage"/>.</summary>
    public void Add(PipelineStage stage, TimeSpan spent)
    {
        Interlocked.Add(ref ticks[(int)stage], spent.Ticks);
        seconds[(int)stage].Inc(spent.TotalSeconds);
    }
}
