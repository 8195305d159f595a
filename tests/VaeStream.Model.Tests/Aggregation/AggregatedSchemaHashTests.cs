using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>The schema hash, which checkpoints carry to refuse a model on another model input.</summary>
public sealed class AggregatedSchemaHashTests
{
    [Fact]
    public void A_per_event_schemas_hash_is_the_one_its_existing_checkpoints_carry()
    {
        // Hard-coded: the first 16 hex digits of SHA-256("window=1\na|a|None\n"), the text the hash was taken of
        // before aggregated schemas existed. Checkpoints saved then carry it; were it to change, every existing model
        // would be refused as built for another schema.
        FeatureSchema schema = FeatureSchema.Parse("""{"features":[{"name":"a","path":"a"}]}""");

        Assert.Equal("38a587ac89a744f4", schema.ComputeHash());
    }

    [Fact]
    public void Aggregated_schemas_differing_only_in_interval_hash_differently()
    {
        // A model of 10-second rows does not fit 1-minute rows, though names, paths and transforms agree.
        const string Schema = """{"timestampPath":"ts","aggregation":{"interval":"#"},"features":[{"name":"n","aggregate":"Count"}]}""";
        FeatureSchema tenSeconds = FeatureSchema.Parse(Schema.Replace("#", "10s", StringComparison.Ordinal));
        FeatureSchema oneMinute = FeatureSchema.Parse(Schema.Replace("#", "1m", StringComparison.Ordinal));

        Assert.NotEqual(tenSeconds.ComputeHash(), oneMinute.ComputeHash());
    }

    [Fact]
    public void Aggregated_schemas_differing_only_in_the_aggregate_hash_differently()
    {
        FeatureSchema mean = FeatureSchema.Parse("""{"timestampPath":"ts","aggregation":{"interval":"10s"},"features":[{"name":"v","path":"v","aggregate":"Mean"}]}""");
        FeatureSchema max = FeatureSchema.Parse("""{"timestampPath":"ts","aggregation":{"interval":"10s"},"features":[{"name":"v","path":"v","aggregate":"Max"}]}""");

        Assert.NotEqual(mean.ComputeHash(), max.ComputeHash());
    }
}
