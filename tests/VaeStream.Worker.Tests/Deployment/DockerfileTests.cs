using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the image is never built in CI; these checks catch what breaks a build or a
/// container most often: a stage or a copied path that does not exist, root, a health check that cannot run.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "Dockerfile"));

    [Fact]
    public void Builds_with_the_sdk_image_and_runs_the_worker_and_the_tools_on_the_runtime_image()
    {
        var stages = Lines.Select(l => FromLine().Match(l)).Where(m => m.Success).Select(m => (Image: m.Groups["image"].Value, Name: m.Groups["name"].Value)).ToList();
        // The worker last: it is what 'docker build .' and a compose service without a target get.
        Assert.Equal([("mcr.microsoft.com/dotnet/sdk:10.0", "build"), ("build", "build-tools"),
            ("mcr.microsoft.com/dotnet/aspnet:10.0", "tools"), ("mcr.microsoft.com/dotnet/aspnet:10.0", "runtime")], stages);
    }

    [Fact]
    public void The_worker_image_runs_the_worker_assembly_and_the_tools_image_the_vaestream_command()
    {
        string worker = AssemblyName("VaeStream.Worker");
        string tool = AssemblyName("VaeStream.Cli");
        Assert.NotEqual(worker, tool);
        Assert.Contains("RUN dotnet publish src/VaeStream.Worker/VaeStream.Worker.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app", Stage("build"));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{worker}.dll\"]", Stage("runtime"));
        Assert.Contains(Stage("runtime"), l => l.Contains($"CMD [\"dotnet\", \"/app/{worker}.dll\", \"health\"", StringComparison.Ordinal));
        Assert.Contains(Stage("build-tools"), l => l.StartsWith("RUN dotnet publish src/VaeStream.Cli/VaeStream.Cli.csproj ", StringComparison.Ordinal));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{tool}.dll\"]", Stage("tools"));
        Assert.Contains("USER app", Stage("tools"));
    }

    [Fact]
    public void Compose_builds_the_worker_from_the_runtime_stage_and_the_generator_from_the_tools_stage()
    {
        string compose = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        var stages = Lines.Select(l => FromLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToHashSet();
        List<string> targets = [.. BuildTarget().Matches(compose).Select(m => m.Groups["target"].Value)];
        Assert.Equal(["runtime", "tools"], targets);
        Assert.All(targets, t => Assert.Contains(t, stages));
        // The worker services share one build (the anchor); the generator alone runs the tools, whose command it uses.
        string generator = compose[compose.IndexOf("  generator:", StringComparison.Ordinal)..];
        generator = generator[..generator.IndexOf("\n\n", StringComparison.Ordinal)];
        Assert.Contains("target: tools", generator, StringComparison.Ordinal);
        Assert.Contains("command: [\"generate\"", generator, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_copied_path_exists_and_every_copy_from_names_a_stage()
    {
        var stages = Lines.Select(l => FromLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToHashSet();
        foreach (string line in Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            if (words[0].StartsWith("--from=", StringComparison.Ordinal))
            {
                Assert.Contains(words[0]["--from=".Length..], stages);
                continue;
            }

            foreach (string source in words[..^1])
            {
                string path = Path.Combine(RepositoryRoot.Path, source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies {source}, which does not exist: {line}");
            }
        }
    }

    [Fact]
    public void Runs_as_a_non_root_user_with_checkpoints_on_a_volume_and_a_health_check()
    {
        string[] runtime = Lines.SkipWhile(l => !l.Contains(" AS runtime", StringComparison.Ordinal)).ToArray();
        Assert.Contains("USER app", runtime);
        Assert.Contains(runtime, l => l.StartsWith("VOLUME", StringComparison.Ordinal) && l.Contains("/data/checkpoints", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("VAESTREAM__Checkpoints__Directory=/data/checkpoints", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("\"health\", \"--url\", \"http://127.0.0.1:8080/healthz\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_health_check_command_fails_when_no_worker_answers()
    {
        int port = MetricsScrape.FreePort();
        (int exitCode, string error) = await Cli.CliRunner.RunAsync("health", "--url", $"http://127.0.0.1:{port}/healthz");
        Assert.Equal(1, exitCode);
        Assert.Contains("did not answer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_mounts_only_files_that_exist()
    {
        string compose = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        foreach (Match mount in BindMount().Matches(compose))
        {
            string path = Path.Combine(RepositoryRoot.Path, mount.Groups["path"].Value);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"docker-compose.yml mounts {mount.Value.Trim()}, which does not exist");
        }
    }

    [Fact]
    public void The_host_waits_its_whole_shutdown_budget_and_compose_waits_longer_before_SIGKILL()
    {
        using IHost host = Hosting.WorkerHost.Build(overrides: new Dictionary<string, string?> { ["Operations:Enabled"] = "false" });
        TimeSpan hostTimeout = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        Assert.Equal(Hosting.ShutdownBudget.Total, hostTimeout);
        Assert.True(Hosting.ShutdownBudget.Flush + Hosting.ShutdownBudget.Close + Worker.Retraining.Retrainer.CancelWait <= hostTimeout,
            "the waits of the stop sequence add up to more than the host allows");

        string compose = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        Match grace = GracePeriod().Match(compose);
        Assert.True(grace.Success, "docker-compose.yml sets no stop_grace_period: docker's default is 10 s");
        Assert.True(TimeSpan.FromSeconds(int.Parse(grace.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture)) > hostTimeout,
            $"stop_grace_period {grace.Groups["seconds"].Value}s does not cover the host's {hostTimeout}");
    }

    [Fact]
    public void The_image_and_compose_bound_malloc_arenas()
    {
        Assert.Contains(Lines, l => l.Contains("MALLOC_ARENA_MAX=2", StringComparison.Ordinal));
        Assert.Contains("MALLOC_ARENA_MAX: \"2\"", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml")), StringComparison.Ordinal);
    }

    private static string[] Stage(string name) =>
        [.. Lines.SkipWhile(l => !l.EndsWith($" AS {name}", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal))];

    private static string AssemblyName(string project)
    {
        string csproj = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", project, project + ".csproj"));
        Match name = AssemblyNameElement().Match(csproj);
        return name.Success ? name.Groups["name"].Value : project;
    }

    [GeneratedRegex(@"<AssemblyName>(?<name>[^<]+)</AssemblyName>")]
    private static partial Regex AssemblyNameElement();

    [GeneratedRegex(@"^\s+target: (?<target>\S+)$", RegexOptions.Multiline)]
    private static partial Regex BuildTarget();

    [GeneratedRegex(@"stop_grace_period: (?<seconds>\d+)s")]
    private static partial Regex GracePeriod();

    [GeneratedRegex(@"^FROM (?<image>\S+) AS (?<name>\S+)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"- \./(?<path>[^:\s]+):")]
    private static partial Regex BindMount();
}
