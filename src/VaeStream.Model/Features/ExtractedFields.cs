namespace VaeStream.Model.Features;

/// <summary>The non-feature fields read from an event alongside its feature row.</summary>
/// <param name="EntityKey">The entity key, or null when the schema has none.</param>
/// <param name="Timestamp">The event time, or null when the schema has none.</param>
public readonly record struct ExtractedFields(string? EntityKey, DateTimeOffset? Timestamp);
