using System.Diagnostics.CodeAnalysis;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Pipeline;

/// <summary>Reads and extracts each micro-batch on the caller's thread, into one reused batch (<c>Pipeline:ExtractAhead = false</c>).</summary>
internal sealed class InlineExtraction(MicroBatcher<InputEvent> batcher, BatchExtraction extraction) : IExtractedBatches
{
    private readonly ExtractedBatch batch = extraction.NewBatch();

    /// <inheritdoc/>
    public bool TryTake([NotNullWhen(true)] out ExtractedBatch? taken)
    {
        taken = null;
        if (!batcher.ReadBatch(batch.Events, CancellationToken.None))
        {
            return false;
        }

        extraction.Extract(batch);
        taken = batch;
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>None: the scoring thread reads each batch itself, so what it holds is being processed.</remarks>
    public int Waiting => 0;

    /// <inheritdoc/>
    public void Return(ExtractedBatch taken)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
