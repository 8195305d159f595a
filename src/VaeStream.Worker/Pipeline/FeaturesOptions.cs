using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Pipeline;

/// <summary>The <c>Features</c> configuration section.</summary>
internal sealed class FeaturesOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Features";

    /// <summary>The feature schema of the input events.</summary>
    [Required]
    public string SchemaPath { get; set; } = "config/schemas/ops-event.json";
}

/// <summary>Source-generated validation of <see cref="FeaturesOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class FeaturesOptionsValidator : IValidateOptions<FeaturesOptions>;
