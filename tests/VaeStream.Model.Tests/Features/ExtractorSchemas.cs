using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

/// <summary>The schema both extractors' tests read: a nested path, an array index, a transform and each missing-value policy.</summary>
internal static class ExtractorSchemas
{
    public static readonly FeatureSchema Ops = FeatureSchema.Parse("""
        {
          "entityKeyPath": "host",
          "timestampPath": "ts",
          "features": [
            { "name": "cpu", "path": "cpu" },
            { "name": "p99", "path": "latency_ms.p99", "transform": "Log1p" },
            { "name": "disk1", "path": "disks[1].util" },
            { "name": "mem", "path": "mem", "missing": "ImputeMean" },
            { "name": "errors", "path": "errors", "missing": "CarryForward" }
          ]
        }
        """);
}
