using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

public sealed class CsvFeatureReaderTests : IDisposable
{
    private readonly TempDirectory directory = new("vaestream-csv-");

    public void Dispose() => directory.Dispose();

    private string Write(string text)
    {
        string path = Path.Combine(directory.Path, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_numeric_first_row_means_no_header_and_columns_c0_to_cN()
    {
        FeatureTable table = CsvFeatureReader.Read(Write("1,2,3\n4,5,6\n"), null);

        Assert.Equal(["c0", "c1", "c2"], table.Schema.FeatureNames);
        Assert.Equal(2, table.Rows);
        Assert.Equal([4f, 5f, 6f], table.Row(1).ToArray());
    }

    [Theory]
    [InlineData("1,2,3,4\n5,6,7,8\n", 4)]
    [InlineData("1,2\n5,6\n", 2)]
    public void A_headerless_file_with_another_column_count_than_the_model_is_refused_naming_both(string text, int columns)
    {
        FeatureSchema model = FeatureSchema.ForColumns(["c0", "c1", "c2"]);
        string path = Write(text);

        var e = Assert.Throws<SchemaException>(() => CsvFeatureReader.Read(path, model));

        Assert.StartsWith($"'{path}' has {columns} columns, but the model's schema has 3 (c0..c2, matched by position", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_a_header_may_carry_extra_columns_because_they_are_matched_by_name()
    {
        FeatureSchema model = FeatureSchema.ForColumns(["c0", "c1", "c2"]);

        FeatureTable table = CsvFeatureReader.Read(Write("extra,c2,c1,c0\n9,3,2,1\n"), model);

        Assert.Equal([1f, 2f, 3f], table.Row(0).ToArray());
    }

    [Fact]
    public void A_header_maps_columns_by_name_through_the_schema()
    {
        FeatureSchema schema = FeatureSchema.Parse("""
            {"entityKeyPath":"host","features":[{"name":"load","path":"cpu"},{"name":"lat","path":"p99","transform":"Log1p"}]}
            """);

        FeatureTable table = CsvFeatureReader.Read(Write("host,p99,cpu\nh1,0,0.5\nh2,9,0.25\n"), schema);

        Assert.Equal([0.25f, (float)Math.Log(10)], table.Row(1).ToArray());
        Assert.Equal("h2", table.EntityKey(1));
    }

    [Fact]
    public void A_bad_cell_names_line_column_and_value()
    {
        FeatureExtractionException error = Assert.Throws<FeatureExtractionException>(
            () => CsvFeatureReader.Read(Write("a,b\n1,2\n3,oops\n"), null));

        Assert.Equal("feature 'b' at path 'b': line 3: expected a number (value: oops)", error.Message);
    }

    [Fact]
    public void A_nan_cell_is_rejected_as_non_finite()
    {
        FeatureExtractionException error = Assert.Throws<FeatureExtractionException>(
            () => CsvFeatureReader.Read(Write("a,b\n1,nan\n"), null));

        Assert.Equal(FeatureErrorKind.NonFinite, error.Kind);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_cell_is_missing_and_follows_the_policy()
    {
        FeatureSchema schema = FeatureSchema.Parse("""{"features":[{"name":"a","path":"a"},{"name":"b","path":"b","missing":"ImputeMean"}]}""");

        FeatureTable table = CsvFeatureReader.Read(Write("a,b\n1,\n"), schema);
        FeatureExtractionException error = Assert.Throws<FeatureExtractionException>(() => CsvFeatureReader.Read(Write("a,b\n,1\n"), schema));

        Assert.True(float.IsNaN(table.Row(0)[1]));
        Assert.Equal(FeatureErrorKind.Missing, error.Kind);
        Assert.Equal("a", error.Field);
    }

    [Fact]
    public void A_schema_path_that_is_no_column_is_a_schema_error()
    {
        FeatureSchema schema = FeatureSchema.Parse("""{"features":[{"name":"x","path":"nope"}]}""");

        SchemaException error = Assert.Throws<SchemaException>(() => CsvFeatureReader.Read(Write("a,b\n1,2\n"), schema));

        Assert.Equal("features[0].path 'nope': no such column; the file's columns are a, b.", error.Message);
    }
}
