using System.Collections.Concurrent;
using System.Diagnostics;
using VaeStream.Worker.Tests.Integration.Brokers;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

/// <summary><c>vaestream-worker run</c> itself, as a process: what an operator and a container runtime see.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class RunCommandTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory work = new("vaestream-run-");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Run_stopped_by_SIGTERM_exits_with_0_and_warns_of_a_missing_output_topic()
    {
        TestTopics topics = cluster.CreateTopics("run", partitions: 1);
        string config = cluster.Settings(topics)
            .Set("Kafka:IncidentTopic", $"no-such-topic-{topics.Group}")
            .Checkpoints(Path.Combine(work.Path, "checkpoints"))
            .OperationsOff()
            .WriteJson(Path.Combine(work.Path, "settings.json"));
        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(new ProcessStartInfo(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "vaestream-worker.dll"), "run", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.True(await Wait.UntilAsync(() => lines.Any(l => l.Contains("Partitions assigned", StringComparison.Ordinal)), TimeSpan.FromSeconds(60)),
                string.Join('\n', lines));
        }
        finally
        {
            using Process signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await signal.WaitForExitAsync();
        }

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "run did not stop within 60 s of SIGTERM");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{string.Join('\n', lines.TakeLast(10))}");
        Assert.Contains(lines, l => l.StartsWith($"warning: topic 'no-such-topic-{topics.Group}' (Kafka:IncidentTopic) does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
    }
}
