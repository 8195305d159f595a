using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VaeStream.Worker.Tests.Deployment;

/// <summary>
/// The Dockerfile's publish of the worker, run for real: the folder the image copies has the worker and none of the
/// tooling (plots, evaluation, generator, mock broker, the vaestream tool). A reference added to the worker by mistake
/// fails here, not in an image nobody inspects.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed partial class PublishedWorkerTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    private readonly TempDirectory work = new("vaestream-publish-");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task The_published_worker_has_no_tooling_assemblies_or_natives()
    {
        string output = Path.Combine(work.Path, "publish");
        (int code, string log) = await Publish(output);
        Assert.True(code == 0, $"dotnet publish exited with {code}:\n{log}");

        string[] files = [.. Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f))];
        Assert.Contains("vaestream-worker.dll", files);
        Assert.Contains("vaestream-worker.runtimeconfig.json", files);
        Assert.Contains(Path.Combine("config", "appsettings.json"), files);
        Assert.Contains("libLibTorchSharp.so", files);
        Assert.Contains("librdkafka.so", files);
        Assert.Empty(files.Where(f => Tooling().IsMatch(Path.GetFileName(f))).Order());
    }

    // The Dockerfile's command. The artifacts path gives the publish its own obj/ and bin/, so it neither reads nor
    // rewrites the repository's, which the rest of the test run executes from. No build servers or reused nodes: they
    // would outlive the test and hold its output pipes open.
    private async Task<(int Code, string Log)> Publish(string output)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            ["publish", Path.Combine(RepositoryRoot.Path, "src", "VaeStream.Worker", "VaeStream.Worker.csproj"),
                "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output,
                "--artifacts-path", Path.Combine(work.Path, "artifacts"), "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v", "q", "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Budget);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"did not finish within {Budget}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    // What only the vaestream tool needs: ScottPlot, SkiaSharp and HarfBuzz (plots), the evaluation protocol, the
    // generator, librdkafka's mock cluster, Spectre.Console (progress bars and tables) and the tool itself.
    [GeneratedRegex(@"^(ScottPlot.*\.dll|SkiaSharp.*\.dll|HarfBuzzSharp.*\.dll|libSkiaSharp\..*|libHarfBuzzSharp\..*|VaeStream\.Evaluation\.dll|VaeStream\.Simulation\.dll|VaeStream\.Kafka\.Testing\.dll|Spectre\.Console.*\.dll|vaestream\.dll)$", RegexOptions.IgnoreCase)]
    private static partial Regex Tooling();
}

/// <summary>
/// The publish compiles four projects on the machine's cores: run it alone, after the parallel tests, so it cannot
/// slow the timing-sensitive ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishCollection
{
    public const string Name = "Publish";
}
