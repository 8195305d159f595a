using System.Threading.Channels;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Reads micro-batches from a channel: waits for a first item, then drains with TryRead until the batch holds
/// <c>maxBatchSize</c> items or <c>maxDelay</c> has passed since the first one. With <c>emptyAfter</c>, a wait for the
/// first item that lasts that long ends in an empty batch, for work that runs on a clock (aggregated intervals of quiet
/// entities). Uses WaitToReadAsync + TryRead rather than ReadAsync with a cancellable token (dotnet/runtime #132094
/// loses items in that combination).
/// </summary>
internal sealed class MicroBatcher<T>(ChannelReader<T> reader, int maxBatchSize, TimeSpan maxDelay, TimeProvider time, TimeSpan? emptyAfter = null)
{
    /// <summary>
    /// Fills <paramref name="batch"/> (cleared first). Returns false once the channel is completed and empty;
    /// a completed channel still yields its remaining items first.
    /// </summary>
    public async ValueTask<bool> ReadBatchAsync(List<T> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count == 0)
        {
            if (emptyAfter is { } idle && !reader.TryPeek(out _))
            {
                if (!await WaitAsync(idle, cancellationToken))
                {
                    // The deadline passed (an empty batch), or the channel completed empty (the end).
                    return !reader.Completion.IsCompleted;
                }
            }
            else if (!await reader.WaitToReadAsync(cancellationToken))
            {
                return false;
            }

            if (reader.TryRead(out T? first))
            {
                batch.Add(first);
            }
        }

        long started = time.GetTimestamp();
        while (batch.Count < maxBatchSize)
        {
            while (batch.Count < maxBatchSize && reader.TryRead(out T? item))
            {
                batch.Add(item);
            }

            TimeSpan remaining = maxDelay - time.GetElapsedTime(started);
            if (batch.Count >= maxBatchSize || remaining <= TimeSpan.Zero || !await WaitAsync(remaining, cancellationToken))
            {
                break;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="ReadBatchAsync"/> for a dedicated thread: the caller blocks while the channel is empty, so the work
    /// it does with the batch stays on its own thread instead of a pool thread's continuation.
    /// </summary>
    public bool ReadBatch(List<T> batch, CancellationToken cancellationToken)
    {
        ValueTask<bool> read = ReadBatchAsync(batch, cancellationToken);
        return read.IsCompletedSuccessfully ? read.Result : read.AsTask().GetAwaiter().GetResult();
    }

    // True when more items may be read; false when the deadline passed or the channel completed.
    private async ValueTask<bool> WaitAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(remaining, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            return await reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
