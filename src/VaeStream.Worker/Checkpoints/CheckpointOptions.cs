using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Checkpoints;

/// <summary>The <c>Checkpoints</c> configuration section.</summary>
internal sealed class CheckpointOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Checkpoints";

    /// <summary>Where model checkpoints are written and loaded from (a volume in containers).</summary>
    [Required]
    public string Directory { get; set; } = "checkpoints";

    /// <summary>How many checkpoints are kept; older ones are deleted after a new one is written.</summary>
    [Range(1, 1000)]
    public int Keep { get; set; } = 3;
}

/// <summary>Source-generated validation of <see cref="CheckpointOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class CheckpointOptionsValidator : IValidateOptions<CheckpointOptions>;
