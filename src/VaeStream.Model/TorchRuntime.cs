using TorchSharp;

namespace VaeStream.Model;

/// <summary>Starts libtorch once per process and turns a failed native load into an actionable message.</summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool started;

    /// <summary>
    /// Loads the native libraries and sets the number of intra-op threads (process-wide in libtorch).
    /// Throws <see cref="InvalidOperationException"/> with the likely cause when the native load fails.
    /// </summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (!started)
            {
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
                {
                    throw new InvalidOperationException(
                        "TorchSharp's native libraries did not load. On Debian 12 the cause is libLibTorchSharp.so asking for " +
                        "GLIBCXX_3.4.32, which the system libstdc++ lacks; the build marks that requirement weak in the output " +
                        "folder (build/TorchSharpGlibcxxFix.targets). Rebuild on the machine that runs the program, or see the " +
                        $"README section 'TorchSharp on Debian 12'. Underlying error: {e.GetBaseException().Message}", e);
                }

                started = true;
            }

            if (threads is > 0)
            {
                torch.set_num_threads(threads.Value);
            }
        }
    }
}
