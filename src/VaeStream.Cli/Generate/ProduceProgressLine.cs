using System.Diagnostics;
using VaeStream.Simulation;

namespace VaeStream.Cli.Generate;

/// <summary>
/// <c>generate</c>'s progress: events acknowledged, rate and (with a count) percent done, every second; redrawn in
/// place on a terminal, one line per 10 s when redirected so a log is not flooded.
/// </summary>
internal sealed class ProduceProgressLine : IDisposable
{
    private readonly EventFeed feed;
    private readonly int total;
    private readonly TextWriter output;
    private readonly bool terminal = !Console.IsErrorRedirected;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer timer;
    private long lastWritten = -1;

    public ProduceProgressLine(EventFeed feed, int total, TextWriter output)
    {
        this.feed = feed;
        this.total = total;
        this.output = output;
        TimeSpan every = terminal ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);
        timer = new Timer(_ => Write(), null, every, every);
    }

    public void Dispose()
    {
        timer.Dispose();
        if (terminal && lastWritten >= 0)
        {
            output.WriteLine();
        }
    }

    private void Write()
    {
        long produced = feed.Produced;
        if (produced == lastWritten)
        {
            return;
        }

        lastWritten = produced;
        double rate = produced / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        string done = total > 0 ? $" of {total:N0} ({100.0 * produced / total:F0}%)" : "";
        string line = $"produced {produced:N0}{done}, {rate:N0} events/s, {clock.Elapsed:hh\\:mm\\:ss}";
        output.Write(terminal ? $"\r{line}   " : line + Environment.NewLine);
    }
}
