using System.Diagnostics;

namespace VaeStream.Worker.Tests.Integration.Peers;

/// <summary>
/// Debian's real collectd (package <c>collectd-core</c>, installed by .ci/run) in the foreground with a temporary
/// configuration: the cpu, memory, load and interface plugins every second, and <c>write_kafka</c> sending JSON to a
/// topic of the test's cluster. Stopped by its PID (SIGTERM) on <see cref="Stop"/> or dispose.
/// </summary>
internal sealed class CollectdProcess : IDisposable
{
    public const string Binary = "/usr/sbin/collectd";
    public const string KafkaPlugin = "/usr/lib/collectd/write_kafka.so";
    private readonly TempDirectory directory = new("vaestream-collectd-");
    private readonly Process process;
    private readonly System.Text.StringBuilder log = new();

    private CollectdProcess(string bootstrapServers, string topic, string host)
    {
        string config = Path.Combine(directory.Path, "collectd.conf");
        // The producer's properties come before <Topic>: each topic copies them as they stand when it is parsed. The
        // key is the host name, so that one host's value lists share a partition and reach the worker in time order
        // (without a key, write_kafka draws a random one per message). StoreRates and Format are set because the
        // plugin's defaults differ from its manual. collectd's parser needs the file to end with a newline.
        File.WriteAllText(config, $"""
            Hostname "{host}"
            FQDNLookup false
            BaseDir "{directory.Path}"
            PIDFile "{Path.Combine(directory.Path, "collectd.pid")}"
            Interval 1
            LoadPlugin cpu
            LoadPlugin memory
            LoadPlugin load
            LoadPlugin interface
            LoadPlugin write_kafka
            <Plugin cpu>
              ReportByCpu false
              ReportByState true
              ValuesPercentage true
            </Plugin>
            <Plugin interface>
              Interface "lo"
              IgnoreSelected false
            </Plugin>
            <Plugin write_kafka>
              Property "metadata.broker.list" "{bootstrapServers}"
              Key "{host}"
              <Topic "{topic}">
                Format JSON
                StoreRates true
              </Topic>
            </Plugin>

            """);
        process = Process.Start(new ProcessStartInfo(Binary, ["-f", "-C", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Why collectd cannot be used here, or null.</summary>
    public static string? UnavailableReason => File.Exists(Binary) && File.Exists(KafkaPlugin)
        ? null
        : $"{Binary} or {KafkaPlugin} is not installed (Debian package collectd-core; .ci/run installs it, and the install failed or was not run)";

    /// <summary>Whether it is still running.</summary>
    public bool Running => !process.HasExited;

    /// <summary>What collectd wrote to its output so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static CollectdProcess Start(string bootstrapServers, string topic, string host) => new(bootstrapServers, topic, host);

    /// <summary>Sends SIGTERM to its PID and waits for it to exit (SIGKILL after 10 s).</summary>
    public void Stop()
    {
        if (process.HasExited)
        {
            return;
        }

        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
        directory.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
