using System.Collections.Concurrent;
using System.Diagnostics;
using VaeStream.Worker.Tests.Integration.Brokers;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// The worker as a child process (VaeStream.Worker.TestHost), so a test can SIGKILL it: settings in a JSON file, its
/// log lines collected, and every scored offset appended to a journal file.
/// </summary>
internal sealed class ChildWorker : IDisposable
{
    private readonly Process process;
    private const string StartedLine = "Worker started";
    private readonly ConcurrentQueue<string> lines = new();

    public ChildWorker(string settingsFile, string journalFile)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "VaeStream.Worker.TestHost.dll"), settingsFile, journalFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue("stderr: " + e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    /// <summary>The log so far, for failure messages.</summary>
    public string Log(int last = 30) => string.Join('\n', lines.TakeLast(last));

    public bool Logged(string text) => lines.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGKILL: no drain, no flush, no commit.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>SIGTERM, as a container runtime stops a service, then the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        // A SIGTERM that arrives before the host has installed its handler (while the runtime and libtorch load) ends
        // the process by the signal's default action, exit 143, and nothing is in flight then to test. A test that
        // found its condition met at once (the offsets committed by a run before) would send it there: wait until
        // the worker says it runs, which it logs after the host's signal handling is in place.
        if (!Wait.Until(() => Logged(StartedLine) || process.HasExited, timeout, Wait.Poll))
        {
            throw new TimeoutException($"the worker did not log '{StartedLine}' within {timeout}:\n{Log()}");
        }

        using (Process signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            signal.WaitForExit();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"the worker did not stop within {timeout} of SIGTERM:\n{Log()}");
        }

        // The timed wait returns at exit, before the output handlers have read the pipes to their end: without this
        // the last lines (the drain, the cancelled retrain) were missing from Logged in a busy CI run.
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.Dispose();
    }

    /// <summary>
    /// The <c>Kafka</c> section of a child worker's settings. A killed member keeps its partitions until its session
    /// expires: keep that short. Frequent commits keep the uncommitted window, and so the duplicates after a kill, small.
    /// </summary>
    public static WorkerSettingsBuilder Settings(KafkaTestBroker broker, TestTopics topics) => broker.Settings(topics)
        .KafkaProperty("session.timeout.ms", "6000")
        .KafkaProperty("heartbeat.interval.ms", "500")
        .KafkaProperty("auto.commit.interval.ms", "500");

    // The dotnet CLI tells child processes where its host is; a plain "dotnet" on PATH is the fallback.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
