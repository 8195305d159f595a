using System.Globalization;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// CPU time of this process's threads grouped by what they do, from <c>/proc/self/task/*/stat</c> (Linux): the
/// worker's three named threads, librdkafka's (clients and the in-process mock broker alike), the GC's, and the rest
/// (the thread pool, the bench). Read before and after a span, it splits the process's CPU per event by thread.
/// </summary>
internal static class ThreadCpu
{
    // Clock ticks per second of utime and stime (USER_HZ); 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>The thread groups, in the order the report shows them.</summary>
    public static readonly string[] Groups = ["consume thread", "extraction thread", "scoring thread", "librdkafka threads", "GC threads", "other threads"];

    /// <summary>CPU time used so far per group; threads that have exited are no longer counted.</summary>
    public static Dictionary<string, TimeSpan> Snapshot()
    {
        Dictionary<string, TimeSpan> used = Groups.ToDictionary(g => g, _ => TimeSpan.Zero);
        if (!Directory.Exists("/proc/self/task"))
        {
            return used;
        }

        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }

            // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
            int open = stat.IndexOf('(', StringComparison.Ordinal), close = stat.LastIndexOf(')');
            string comm = stat[(open + 1)..close];
            string[] fields = stat[(close + 2)..].Split(' ');
            // After the comm: state is field 3 of the man page, utime 14 and stime 15, so indexes 11 and 12 here.
            double ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            used[GroupOf(comm)] += TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }

        return used;
    }

    /// <summary>Microseconds of CPU per event of each group between two snapshots.</summary>
    public static Dictionary<string, double> PerEvent(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, long events) =>
        Groups.ToDictionary(g => g, g => Math.Max(0, (after[g] - before[g]).TotalMicroseconds) / events);

    // Linux keeps 15 characters of a thread's name.
    private static string GroupOf(string comm) => comm switch
    {
        _ when comm.StartsWith("vaestream-consu", StringComparison.Ordinal) => "consume thread",
        _ when comm.StartsWith("vaestream-extra", StringComparison.Ordinal) => "extraction thread",
        _ when comm.StartsWith("vaestream-scori", StringComparison.Ordinal) => "scoring thread",
        _ when comm.StartsWith("rdk:", StringComparison.Ordinal) => "librdkafka threads",
        _ when comm.StartsWith(".NET BGC", StringComparison.Ordinal) || comm.StartsWith(".NET Server GC", StringComparison.Ordinal)
            || comm.StartsWith(".NET SVR GC", StringComparison.Ordinal) => "GC threads",
        _ => "other threads",
    };
}
