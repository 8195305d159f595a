using System.Runtime.InteropServices;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// Gives the calling thread the smallest CPU share on Linux, so a retrain only uses what scoring leaves. .NET's
/// <see cref="Thread.Priority"/> does not change how Linux schedules a normal thread, but the thread's nice value
/// does, and raising it needs no privilege.
/// </summary>
internal static partial class BackgroundPriority
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;

    /// <summary>Sets the calling thread's nice value to 19; false where that is not possible.</summary>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // With PRIO_PROCESS, Linux applies setpriority to a single thread when given its thread id.
        return setpriority(PrioProcess, gettid(), LowestNice) == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc")]
    private static partial int gettid();
}
