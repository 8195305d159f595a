using VaeStream.Model.Features;
using static VaeStream.Model.Tests.Aggregation.Events;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>
/// Offline train and score read a JSON-lines export through an aggregated schema (<see cref="FeatureTable.Read"/>) into
/// the rows the worker would have built: one per entity and interval.
/// </summary>
public sealed class AggregatedLinesReaderTests : IDisposable
{
    private readonly TempDirectory directory = new("vaestream-aggregated-");

    // No lateness: an interval closes at its entity's first event of the next one. latency is Reject (the default).
    private static readonly FeatureSchema Requests = Schema("""
        {"name":"requests","aggregate":"Count"},
        {"name":"latency","aggregate":"Mean","path":"latency_ms"}
        """, """{"interval":"10s","allowedLateness":"0s"}""");

    public void Dispose() => directory.Dispose();

    private string Write(params string[] lines)
    {
        string path = Path.Combine(directory.Path, "events.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Rows_are_one_per_entity_interval_the_last_closed_at_the_end_of_the_file()
    {
        string path = Write(
            Event("a", 1, "\"latency_ms\":10"),
            Event("b", 2, "\"latency_ms\":20"),
            Event("a", 3, "\"latency_ms\":30"),
            "",
            Event("a", 11, "\"latency_ms\":50"),
            Event("b", 12, "\"latency_ms\":60"));

        FeatureTable table = FeatureTable.Read(path, Requests);

        // a [0, 10) closes at a's 11 s and b [0, 10) at b's 12 s; a [10, 20) and b [10, 20) only at the end of the
        // file, most recently seen entity first. The blank line is passed over.
        Assert.Equal("a b b a", string.Join(" ", table.EntityKeys!));
        Assert.Equal([2f, 20f], table.Row(0).ToArray());
        Assert.Equal([1f, 20f], table.Row(1).ToArray());
        Assert.Equal([1f, 60f], table.Row(2).ToArray());
        Assert.Equal([1f, 50f], table.Row(3).ToArray());
    }

    [Fact]
    public void An_interval_without_a_value_for_a_Reject_feature_gives_no_row()
    {
        // b's [10, 20) has a request but no latency: like the worker, which dead-letters it, the reader drops it.
        string path = Write(
            Event("a", 1, "\"latency_ms\":10"),
            Event("b", 2, "\"latency_ms\":20"),
            Event("a", 11, "\"latency_ms\":30"),
            Event("b", 12));

        FeatureTable table = FeatureTable.Read(path, Requests);

        Assert.Equal("a b a", string.Join(" ", table.EntityKeys!));
        Assert.Equal([1f, 30f], table.Row(2).ToArray());
    }

    [Fact]
    public void A_malformed_line_is_refused_naming_its_line_number()
    {
        string path = Write(Event("a", 1, "\"latency_ms\":10"), Event("a", 2, "\"latency_ms\":\"slow\""));

        FeatureExtractionException error = Assert.Throws<FeatureExtractionException>(() => FeatureTable.Read(path, Requests));

        Assert.Equal("latency", error.Field);
        Assert.Contains("line 2:", error.Message, StringComparison.Ordinal);
    }
}
