using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Extraction one micro-batch ahead of scoring (<c>Pipeline:ExtractAhead</c>, the default): a thread of its own reads
/// the next micro-batch from the channel and extracts its features, dead letters included, while the scoring thread
/// scores and publishes the current one. JSON reading was the largest cost per event on the scoring thread, and the
/// second core sat partly idle. Two batches alternate between the threads: the extraction thread fills one while the
/// other is scored, and waits for it to come back before it reads on, so at most one extracted batch is waiting
/// and batches come out in the order they were read.
/// </summary>
internal sealed class ExtractionThread : IExtractedBatches
{
    // One being scored, one being filled: more would only queue events that the channel already holds.
    private const int Buffers = 2;

    private readonly MicroBatcher<InputEvent> batcher;
    private readonly BatchExtraction extraction;
    private readonly BlockingCollection<ExtractedBatch> free = [];
    private readonly BlockingCollection<ExtractedBatch> ready = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread thread;
    private Exception? failure;
    private int waiting;

    /// <summary>Starts the thread; it reads until the channel behind <paramref name="batcher"/> is completed and empty.</summary>
    public ExtractionThread(MicroBatcher<InputEvent> batcher, BatchExtraction extraction)
    {
        this.batcher = batcher;
        this.extraction = extraction;
        for (int i = 0; i < Buffers; i++)
        {
            free.Add(extraction.NewBatch());
        }

        thread = new Thread(Run) { Name = "vaestream-extraction", IsBackground = true };
        thread.Start();
    }

    /// <inheritdoc/>
    public bool TryTake([NotNullWhen(true)] out ExtractedBatch? batch)
    {
        if (ready.TryTake(out batch, Timeout.Infinite))
        {
            Interlocked.Add(ref waiting, -batch.Events.Count);
            return true;
        }

        // The thread completed the hand-off: the channel ended, or extraction itself failed (which the scoring
        // thread must report, not take for the end of input).
        if (Volatile.Read(ref failure) is { } e)
        {
            ExceptionDispatchInfo.Throw(e);
        }

        return false;
    }

    /// <inheritdoc/>
    public void Return(ExtractedBatch batch) => free.Add(batch);

    /// <inheritdoc/>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Stops the thread if it is still reading (the scoring thread ended first, on an error) and waits for it.</summary>
    public void Dispose()
    {
        stopping.Cancel();
        free.CompleteAdding();
        thread.Join();
        stopping.Dispose();
        free.Dispose();
        ready.Dispose();
    }

    private void Run()
    {
        try
        {
            while (free.TryTake(out ExtractedBatch? batch, Timeout.Infinite) && batcher.ReadBatch(batch.Events, stopping.Token))
            {
                // Out of the channel but not yet scored: still waiting, or a stalled scoring thread would look idle.
                Interlocked.Add(ref waiting, batch.Events.Count);
                extraction.Extract(batch);
                ready.Add(batch);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed while waiting for input: what it had read is not completed, so its offsets stay unstored.
        }
        catch (Exception e)
        {
            Volatile.Write(ref failure, e);
        }
        finally
        {
            ready.CompleteAdding();
        }
    }
}
