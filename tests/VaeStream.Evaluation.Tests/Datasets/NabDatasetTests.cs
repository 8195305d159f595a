using VaeStream.Evaluation.Datasets;

namespace VaeStream.Evaluation.Tests.Datasets;

public sealed class NabDatasetTests : IDisposable
{
    private readonly TempDirectory nab = new("vaestream-nab-");
    private readonly TempDirectory target = new("vaestream-nab-layout-");

    public void Dispose()
    {
        nab.Dispose();
        target.Dispose();
    }

    // 100 rows, one a minute from midnight, valued by their index.
    private void Series(string category, string name)
    {
        Directory.CreateDirectory(Path.Combine(nab.Path, "data", category));
        var start = new DateTime(2014, 4, 10, 0, 0, 0);
        File.WriteAllLines(Path.Combine(nab.Path, "data", category, name),
            ["timestamp,value", .. Enumerable.Range(0, 100).Select(i => $"{start.AddMinutes(i):yyyy-MM-dd HH:mm:ss},{i}")]);
    }

    private void Windows(string json)
    {
        Directory.CreateDirectory(Path.Combine(nab.Path, "labels"));
        File.WriteAllText(Path.Combine(nab.Path, "labels", "combined_windows.json"), json);
    }

    [Fact]
    public void Each_labelled_series_becomes_an_entity_trained_on_its_first_15_percent_and_labelled_by_its_windows()
    {
        Series("realKnownCause", "a.csv");
        Series("realKnownCause", "quiet.csv");
        Series("artificial", "early.csv");
        Windows("""
            {
              "realKnownCause/a.csv": [["2014-04-10 00:40:00.000000", "2014-04-10 00:49:00.000000"]],
              "realKnownCause/quiet.csv": [],
              "artificial/early.csv": [["2014-04-10 00:00:00.000000", "2014-04-10 00:05:00.000000"]]
            }
            """);

        Assert.True(NabDataset.IsNab(nab.Path));
        LabelledEntity entity = Assert.Single(LabelledEntity.Discover(NabDataset.WriteSmdLayout(nab.Path, target.Path)));

        Assert.Equal("realKnownCause__a", entity.Name);
        Assert.Equal([.. Enumerable.Range(0, 15).Select(i => $"{i}")], File.ReadAllLines(entity.TrainPath));
        Assert.Equal([.. Enumerable.Range(15, 85).Select(i => $"{i}")], File.ReadAllLines(entity.TestPath));
        bool[] labels = LabelledEntity.ReadLabels(entity.LabelPath);
        Assert.Equal(85, labels.Length);
        Assert.Equal([.. Enumerable.Range(40, 10).Select(i => i - 15)], [.. Enumerable.Range(0, 85).Where(i => labels[i])]);
    }

    [Fact]
    public void A_bad_timestamp_is_named_with_its_series()
    {
        Series("realKnownCause", "a.csv");
        Windows("""{ "realKnownCause/a.csv": [["10/04/2014", "2014-04-10 00:49:00.000000"]] }""");

        var error = Assert.Throws<FormatException>(() => NabDataset.WriteSmdLayout(nab.Path, target.Path));

        Assert.Contains("realKnownCause/a.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("10/04/2014", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_NAB_windows_is_not_NAB()
    {
        Assert.False(NabDataset.IsNab(nab.Path));
    }
}
