using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VaeStream.Worker.Tests.Cli;

/// <summary><c>run</c>, <c>generate</c> and <c>dev-broker</c> refuse what they cannot work with: exit code 2 and one line naming it.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TempDirectory directory = new("vaestream-startup-");

    public void Dispose() => directory.Dispose();

    private string Settings(string json)
    {
        string path = Path.Combine(directory.Path, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("127.0.0.1:1", "Connection refused")]
    [InlineData("vaestream-no-such-host.invalid:9092", "Failed to resolve")]
    public async Task Run_against_an_unreachable_broker_exits_with_2_within_the_startup_timeout_naming_the_address(string servers, string reason)
    {
        string config = Settings($$"""{ "Kafka": { "BootstrapServers": "{{servers}}", "StartupTimeout": "00:00:03" } }""");
        var clock = Stopwatch.StartNew();

        (int code, string error) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: no Kafka broker answered at {servers} within 3 s (Kafka:BootstrapServers, Kafka:StartupTimeout)", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        // The timeout is 3 s; the slack is for a busy CI machine (building the host, loading librdkafka).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3 + 20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_without_bootstrap_servers_exits_with_2_at_once_instead_of_probing_a_broker()
    {
        // The shipped settings leave Kafka:BootstrapServers empty; the broker probe would wait its 30 s start-up timeout.
        string config = Settings("""{ "Pipeline": { "MaxBatchSize": 512 } }""");
        var clock = Stopwatch.StartNew();

        (int code, _) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_with_a_mistyped_key_and_section_exits_with_2_and_suggests_the_right_names()
    {
        string config = Settings("""{ "Kafka": { "BootstrapServers": "127.0.0.1:1" }, "Pipeline": { "MaxBatchSzie": 5 }, "Retrainig": { "WindowSize": 100 } }""");

        (int code, string error) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains("unknown key 'Pipeline:MaxBatchSzie' (did you mean 'MaxBatchSize'?)", error, StringComparison.Ordinal);
        Assert.Contains("unknown section 'Retrainig' (did you mean 'Retraining'?)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Pipeline": { "MaxBatchDelay": "banana" } }""", "Pipeline:MaxBatchDelay: 'banana' is not a duration")]
    [InlineData("""{ "Pipeline": { "MaxBatchSize": 0 } }""", "Pipeline:MaxBatchSize = '0': must be between 1 and 65536")]
    [InlineData("""{ "Kafka": { "GroupId": "" } }""", "Kafka:GroupId = '': is required")]
    [InlineData("""{ "Operations": { "Port": 70000 } }""", "Operations:Port = '70000': must be between 1 and 65535")]
    [InlineData("""{ "Kafka": { "Properties": { "foo.bar": "1" } } }""", "Kafka:Properties:foo.bar = '1': No such configuration property")]
    [InlineData("""{ "Kafka": { "Properties": { "session.timeout.ms": "many" } } }""", "Kafka:Properties:session.timeout.ms = 'many': ")]
    [InlineData("""{ "Features": { "SchemaPath": "no/such/schema.json" } }""", "no/such/schema.json")]
    public async Task Each_configuration_error_exits_with_2_and_names_the_key(string json, string expected)
    {
        // Every case also names a broker that is not there: the setting must be refused before any connection.
        JsonObject settings = JsonNode.Parse(json)!.AsObject();
        if (settings["Kafka"] is not JsonObject kafka)
        {
            settings["Kafka"] = kafka = new JsonObject();
        }

        kafka["BootstrapServers"] = "127.0.0.1:1";
        string config = Settings(settings.ToJsonString());

        (int code, string error) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Options.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_settings_file_that_is_not_json_exits_with_2_giving_the_line()
    {
        string config = Settings("{ \"Kafka\": {\n  \"GroupId\": \"x\",\n  \"BootstrapServers\" \"127.0.0.1:1\" } }");

        (int code, string error) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: invalid configuration: {config} is not valid JSON: ", error, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_against_an_unreachable_broker_exits_with_2_instead_of_hanging()
    {
        var clock = Stopwatch.StartNew();

        (int code, string error) = await CliRunner.RunAsync("generate", "--bootstrap", "127.0.0.1:1", "--count", "10", "--timeout", "2");

        Assert.Equal(2, code);
        Assert.StartsWith("error: no Kafka broker answered at 127.0.0.1:1 within 2 s", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2 + 20), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("-2")]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task Dev_broker_refuses_a_partition_count_outside_1_to_1000(string partitions)
    {
        (int code, string error) = await CliRunner.RunAsync("dev-broker", "--partitions", partitions);

        Assert.Equal(2, code);
        Assert.Equal($"error: --partitions must be within 1..1000; got {partitions}.", error.Trim());
    }
}
