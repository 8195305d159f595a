using System.Runtime.InteropServices;

namespace VaeStream.Worker.Hosting;

/// <summary>
/// Caps glibc's malloc arenas for this process, so nobody has to know <c>MALLOC_ARENA_MAX</c>. glibc gives threads
/// that allocate concurrently arenas of their own, up to 8 per core, and freed native memory (libtorch's training
/// buffers) stays cached in each: measured with a thread per retrain, RSS grew from 0.40 to 2.1–2.2 GB over about
/// 45 retrains; with 2 arenas it stayed at 0.54–0.56 GB.
/// </summary>
public static partial class MallocArenas
{
    /// <summary>The arena limit applied when the environment sets none.</summary>
    public const int Limit = 2;

    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>
    /// Applies <see cref="Limit"/> unless <c>MALLOC_ARENA_MAX</c> is set (glibc has then read it). Call it first in
    /// Main: glibc fixes the limit once more than 8 arenas exist, and only a few threads have run by then.
    /// </summary>
    public static bool Bound()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 })
        {
            return false;
        }

        try
        {
            return mallopt(ArenaMaxParameter, Limit) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl has no arenas to bound).
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int parameter, int value);
}
