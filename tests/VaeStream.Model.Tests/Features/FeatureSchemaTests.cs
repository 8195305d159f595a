using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

public sealed class FeatureSchemaTests
{
    [Theory]
    [InlineData("""{"features":[]}""", "features: at least one feature is required.")]
    [InlineData("""{"features":[{"name":"a","path":"a..b"}]}""", "features[0].path 'a..b': empty property name at position 2.")]
    [InlineData("""{"features":[{"name":"a","path":"a[x]"}]}""", "features[0].path 'a[x]': expected a non-negative array index like [0] at position 1.")]
    [InlineData("""{"features":[{"name":"a","path":"a"},{"name":"a","path":"b"}]}""", "features[1].name: 'a' is used twice; names must be unique.")]
    [InlineData("""{"window":0,"features":[{"name":"a","path":"a"}]}""", "window: 0 is out of range; allowed 1..1000.")]
    public void Invalid_schemas_name_the_key(string json, string expected)
    {
        SchemaException error = Assert.Throws<SchemaException>(() => FeatureSchema.Parse(json));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Hash_changes_with_the_model_input_but_not_with_the_missing_policy()
    {
        FeatureSchema a = FeatureSchema.Parse("""{"features":[{"name":"a","path":"a"}]}""");
        FeatureSchema imputed = FeatureSchema.Parse("""{"features":[{"name":"a","path":"a","missing":"ImputeMean"}]}""");
        FeatureSchema windowed = a with { Window = 5 };

        Assert.Equal(a.ComputeHash(), imputed.ComputeHash());
        Assert.NotEqual(a.ComputeHash(), windowed.ComputeHash());
    }

    [Fact]
    public void Shipped_example_schemas_load()
    {
        string config = Path.Combine(RepositoryRoot.Path, "config", "schemas");

        FeatureSchema ops = FeatureSchema.Load(Path.Combine(config, "ops-event.json"));
        FeatureSchema smd = FeatureSchema.Load(Path.Combine(config, "smd.json"));

        Assert.Equal("host", ops.EntityKeyPath);
        Assert.Equal(38, smd.FeatureCount);
    }
}
