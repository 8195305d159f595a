using VaeStream.Kafka.Consuming;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.TestHost;

/// <summary>
/// Appends "partition offset" for every scored event (for an aggregated schema's interval, every event it holds). Each line goes to the kernel before the event's offset can be
/// stored (scoring precedes publishing and storing), so after a SIGKILL the file lists at least every stored offset.
/// </summary>
internal sealed class OffsetJournal(string path) : IScoreObserver, IDisposable
{
    // Unbuffered stream under an auto-flushing writer: one write(2) per line, nothing held in user space.
    private readonly StreamWriter writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
    {
        AutoFlush = true,
    };

    public void Scored(InputEvent source, string? entity, float score, double threshold, int modelVersion)
    {
        foreach (InputEvent record in source.Records)
        {
            writer.Write($"{record.Partition} {record.Offset}\n");
        }
    }

    public void Dispose() => writer.Dispose();
}
