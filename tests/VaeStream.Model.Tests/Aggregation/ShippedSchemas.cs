using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>The example schemas shipped in config/schemas, loaded as a user would.</summary>
internal static class ShippedSchemas
{
    public static FeatureSchema Load(string file) => FeatureSchema.Load(Path.Combine(RepositoryRoot.Path, "config", "schemas", file));
}
