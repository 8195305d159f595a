using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Pipeline;

/// <summary>The <c>Pipeline</c> configuration section.</summary>
internal sealed class PipelineOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Pipeline";

    /// <summary>Events buffered between the consume thread and the scorer; when full, the consumer pauses.</summary>
    [Range(1, 10_000_000)]
    public int ChannelCapacity { get; set; } = 8192;

    /// <summary>A batch closes at this many events ...</summary>
    [Range(1, 65_536)]
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>... or this long after its first event, whichever comes first.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Larger payloads go to the dead-letter topic unparsed.</summary>
    [Range(16, 64 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>Entities whose window history is kept when the schema's window is above 1; the least recent is evicted.</summary>
    [Range(1, 10_000_000)]
    public int MaxEntities { get; set; } = 100_000;

    /// <summary>
    /// Threads that read the JSON of one batch, the largest cost per event; 0 means one per processor. Dead letters
    /// and outputs keep their order whatever the value. One by default: on the 2-core reference machine a second
    /// thread gained no throughput, because the consumer and the broker already use the other core, and the
    /// pipeline thread waiting for a descheduled helper lengthened the scoring pauses during retrains.
    /// </summary>
    [Range(0, 256)]
    public int ExtractionThreads { get; set; } = 1;

    /// <summary>
    /// Extract the next micro-batch on a thread of its own while the current one is scored and published
    /// (<see cref="ExtractionThread"/>); false extracts each batch on the scoring thread. Order within a partition and
    /// the offset rule are the same either way. <see cref="ExtractionThreads"/> then spreads that thread's batches.
    /// </summary>
    public bool ExtractAhead { get; set; } = true;

    /// <summary>
    /// What to do with a record whose value is null (a tombstone, which deletes its key on a compacted topic):
    /// <c>DeadLetter</c> copies it, null value kept, to the dead-letter topic with kind <c>Tombstone</c>; <c>Skip</c>
    /// passes over it, counted in <c>vaestream_tombstones_skipped_total</c>.
    /// </summary>
    public TombstonePolicy Tombstones { get; set; } = TombstonePolicy.DeadLetter;

    /// <summary>Feature contributions listed in an anomaly message.</summary>
    [Range(1, 1000)]
    public int TopContributions { get; set; } = 5;

    /// <summary>
    /// Watch each entity's residuals for a lasting shift of its own (<see cref="EntityDriftMonitor"/>), which the one
    /// model for the fleet does not flag event by event. Needs the schema's <c>entityKeyPath</c>.
    /// </summary>
    public bool EntityDrift { get; set; } = true;

    /// <summary>Events of one entity in the short mean of its residuals; the baseline spans 20 times as many.</summary>
    [Range(2, 100_000)]
    public int EntityDriftRows { get; set; } = 100;

    /// <summary>
    /// How many times its typical size the gap between the short mean and the baseline must reach to be a shift
    /// (<see cref="Model.Thresholds.ResidualShiftDetector"/>).
    /// </summary>
    [Range(1.0, 1000.0)]
    public double EntityDriftFactor { get; set; } = 12.0;

    /// <summary>... and the smallest gap that is a shift, in residual scales, whatever its typical size.</summary>
    [Range(0.01, 1000.0)]
    public double EntityDriftMinShift { get; set; } = 0.25;
}

/// <summary>What the pipeline does with a null-value record.</summary>
internal enum TombstonePolicy
{
    /// <summary>Dead-letter it with kind <c>Tombstone</c>, the null value kept.</summary>
    DeadLetter,

    /// <summary>Pass over it; its offset is stored like any other.</summary>
    Skip,
}

/// <summary>Source-generated validation of <see cref="PipelineOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>;
