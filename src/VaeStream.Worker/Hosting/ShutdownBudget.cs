namespace VaeStream.Worker.Hosting;

/// <summary>
/// The stop sequence's time limits, in one place, so that the host's shutdown timeout, the waits inside the worker
/// and docker-compose's <c>stop_grace_period</c> (checked by a test) agree. On SIGTERM the worker stops polling,
/// scores what it has read, cancels a running retrain, flushes the producer, then stores, commits and closes.
/// </summary>
internal static class ShutdownBudget
{
    /// <summary>The host's <c>ShutdownTimeout</c>: the sum of the waits below, with room to spare.</summary>
    public static readonly TimeSpan Total = TimeSpan.FromSeconds(30);

    /// <summary>Flushing the producer, so every output is acknowledged before its input's offset is stored.</summary>
    public static readonly TimeSpan Flush = TimeSpan.FromSeconds(15);

    /// <summary>The consumer's final offset store, commit and leave of the group.</summary>
    public static readonly TimeSpan Close = TimeSpan.FromSeconds(8);
}
