using VaeStream.Model.Aggregation;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>Every example schema in config/schemas loads, and the aggregated ones say what their documentation says.</summary>
public sealed class ShippedAggregatedSchemaTests
{
    [Fact]
    public void Every_shipped_schema_loads()
    {
        string[] files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "config", "schemas"), "*.json");

        // Load throws a SchemaException naming the file's bad key; a file added later is checked too. At least the six
        // of this commit: an empty or moved folder would otherwise pass.
        FeatureSchema[] schemas = [.. files.Select(FeatureSchema.Load)];

        Assert.True(schemas.Length >= 6, $"{schemas.Length} schema files in config/schemas");
        Assert.True(schemas.Count(s => s.Aggregation is not null) >= 4, "the four aggregated examples");
    }

    [Theory]
    [InlineData("collectd.json", "host", "time", TimestampUnit.Seconds, 10, 2, 7)]
    [InlineData("telegraf.json", "tags.host", "timestamp", TimestampUnit.Seconds, 60, 10, 5)]
    [InlineData("prometheus.json", "labels.instance", "timestamp", TimestampUnit.Milliseconds, 60, 15, 4)]
    [InlineData("http-requests.json", "service", "ts", TimestampUnit.Milliseconds, 10, 5, 6)]
    public void An_aggregated_example_has_its_entity_time_interval_and_features(
        string file, string entity, string time, TimestampUnit unit, int intervalSeconds, int latenessSeconds, int features)
    {
        FeatureSchema schema = ShippedSchemas.Load(file);

        Assert.Equal(entity, schema.EntityKeyPath);
        Assert.Equal(time, schema.TimestampPath);
        Assert.Equal(unit, schema.TimestampUnit);
        AggregationOptions aggregation = Assert.IsType<AggregationOptions>(schema.Aggregation);
        Assert.Equal(TimeSpan.FromSeconds(intervalSeconds), aggregation.Interval);
        Assert.Equal(TimeSpan.FromSeconds(latenessSeconds), aggregation.AllowedLateness);
        Assert.Equal(features, schema.FeatureCount);
    }

    [Fact]
    public void The_per_event_examples_stay_per_event()
    {
        Assert.Null(ShippedSchemas.Load("ops-event.json").Aggregation);
        Assert.Null(ShippedSchemas.Load("smd.json").Aggregation);
    }
}
