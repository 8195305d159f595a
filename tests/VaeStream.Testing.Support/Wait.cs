using System.Diagnostics;

namespace VaeStream.Testing;

/// <summary>Polls a condition until it holds or a timeout passes.</summary>
public static class Wait
{
    /// <summary>The blocking wait's default step: short, for conditions that other threads make true quickly.</summary>
    public static readonly TimeSpan BlockingPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>The step between checks of a synchronous condition in <see cref="UntilAsync(Func{bool}, TimeSpan, TimeSpan?)"/>.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>The step between checks of an asynchronous condition (an HTTP request, say).</summary>
    public static readonly TimeSpan AsyncPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Blocks, checking <paramref name="condition"/> every <paramref name="poll"/> (default <see cref="BlockingPoll"/>); false on timeout.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(poll ?? BlockingPoll);
        }

        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every <paramref name="poll"/> (default <see cref="Poll"/>); false on timeout.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(poll ?? Poll);
        }

        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every <paramref name="poll"/> (default <see cref="AsyncPoll"/>); false on timeout.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(poll ?? AsyncPoll);
        }

        return true;
    }
}
