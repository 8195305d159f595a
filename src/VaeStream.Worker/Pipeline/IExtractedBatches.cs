namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Where the scoring thread takes its extracted micro-batches from: <see cref="InlineExtraction"/> reads and extracts
/// each one on the scoring thread itself, <see cref="ExtractionThread"/> one batch ahead on a thread of its own.
/// Either way batches come out in the order they were read, so each partition keeps its order.
/// </summary>
internal interface IExtractedBatches : IDisposable
{
    /// <summary>Blocks for the next batch; false once the input channel is completed and every batch was taken.</summary>
    bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExtractedBatch? batch);

    /// <summary>Hands a batch taken from <see cref="TryTake"/> back once it is scored, for its buffers to be reused.</summary>
    void Return(ExtractedBatch batch);

    /// <summary>
    /// Events read from the channel that the scoring thread has not taken yet: waiting input, as the channel's own
    /// count is, for the stall detector and <c>vaestream_channel_depth</c>.
    /// </summary>
    int Waiting { get; }
}
