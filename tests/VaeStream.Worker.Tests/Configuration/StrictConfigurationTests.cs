using Microsoft.Extensions.Configuration;
using VaeStream.Worker.Configuration;

namespace VaeStream.Worker.Tests.Configuration;

public sealed class StrictConfigurationTests
{
    private static List<string> Problems(Dictionary<string, string?> settings) =>
        WorkerSettings.Strict.Problems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).ToList();

    [Fact]
    public void The_shipped_settings_file_has_no_problem()
    {
        IConfiguration shipped = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot.Path, "config", "appsettings.json"), optional: false).Build();

        Assert.Empty(WorkerSettings.Strict.Problems(shipped));
    }

    [Fact]
    public void A_mistyped_key_is_named_as_written_with_the_nearest_known_key()
    {
        List<string> problems = Problems(new() { ["Pipeline:MaxBatchSzie"] = "5" });

        Assert.Equal(["unknown key 'Pipeline:MaxBatchSzie' (did you mean 'MaxBatchSize'?)"], problems);
    }

    [Fact]
    public void A_mistyped_section_is_named_with_the_nearest_section()
    {
        string problem = Assert.Single(Problems(new() { ["Kafak:BootstrapServers"] = "b:9092" }));

        Assert.StartsWith("unknown section 'Kafak' (did you mean 'Kafka'?)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_far_from_every_known_one_gets_no_suggestion()
    {
        Assert.Equal(["unknown key 'Retraining:Colour'"], Problems(new() { ["Retraining:Colour"] = "blue" }));
    }

    [Theory]
    [InlineData("Pipeline:MaxBatchDelay", "banana", "Pipeline:MaxBatchDelay: 'banana' is not a duration")]
    [InlineData("Pipeline:MaxBatchSize", "5.5", "Pipeline:MaxBatchSize: '5.5' is not a whole number")]
    [InlineData("Operations:Enabled", "yes", "Operations:Enabled: 'yes' is not true or false")]
    [InlineData("Pipeline:Tombstones", "Drop", "Pipeline:Tombstones: 'Drop' is not one of DeadLetter, Skip")]
    [InlineData("Kafka:InputTopics", "events", "'Kafka:InputTopics' is a list")]
    public void A_value_the_binder_cannot_convert_is_named_with_what_was_expected(string key, string value, string expected)
    {
        string problem = Assert.Single(Problems(new() { [key] = value }));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_match_case_insensitively_and_open_sections_accept_any_key()
    {
        Assert.Empty(Problems(new()
        {
            ["pipeline:maxbatchsize"] = "5",
            ["Kafka:Properties:sasl.mechanism"] = "PLAIN",
            ["Kafka:InputTopics:0"] = "events",
            ["Logging:LogLevel:VaeStream"] = "Debug",
        }));
    }
}
