using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Kafka.Tests.Integration;

/// <summary>One processing of one record: by whom, and whether its partition had already left that member.</summary>
internal sealed record Processed(string Member, int Partition, long Offset, bool Stale, long At);

/// <summary>
/// The worker's pipeline reduced to what the transport sees: it reads the channel and completes each event through
/// its <see cref="InputEvent.Complete"/>, as the worker does once an event's outputs are acknowledged. It can stall,
/// holding events uncompleted, as a pipeline stuck in a long batch does.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The gate is waited on by the pipeline's own background thread, which outlives any dispose point a test has; a ManualResetEventSlim holds no kernel handle unless its WaitHandle is read.")]
internal sealed class FakePipeline
{
    private readonly string member;
    private readonly ChannelReader<InputEvent> input;
    private readonly ConcurrentQueue<Processed> log;
    private readonly TimeSpan perEvent;
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim running = new(initialState: true);
    private readonly List<InputEvent> held = [];
    private volatile int coverPartitions;
    private volatile int heldCount;
    private volatile bool stalled;

    public FakePipeline(string member, ChannelReader<InputEvent> input, ConcurrentQueue<Processed> log, TimeSpan perEvent)
    {
        this.member = member;
        this.input = input;
        this.log = log;
        this.perEvent = perEvent;
        new Thread(Run) { Name = $"pipeline-{member}", IsBackground = true }.Start();
    }

    /// <summary>Completes when the channel was completed and every event read was completed.</summary>
    public Task Drained => drained.Task;

    /// <summary>Events read and held uncompleted; stable once <see cref="IsStalled"/>.</summary>
    public int Held => heldCount;

    /// <summary>The stall holds its events and reads no more.</summary>
    public bool IsStalled => stalled;

    /// <summary>
    /// Stops completing: the pipeline reads on, holding what it reads, until it holds events of
    /// <paramref name="partitions"/> partitions, and then reads nothing more until <see cref="Resume"/>.
    /// </summary>
    public void Stall(int partitions)
    {
        coverPartitions = partitions;
        running.Reset();
    }

    public void Resume() => running.Set();

    private void Run()
    {
        try
        {
            while (input.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (input.TryRead(out InputEvent? e))
                {
                    if (running.IsSet)
                    {
                        Release();
                        Process(e);
                    }
                    else
                    {
                        Hold(e);
                    }
                }
            }

            Release();
            drained.TrySetResult();
        }
        catch (Exception e)
        {
            drained.TrySetException(e);
        }
    }

    private void Hold(InputEvent e)
    {
        held.Add(e);
        heldCount = held.Count;
        if (held.Select(h => h.Partition).Distinct().Count() >= coverPartitions)
        {
            stalled = true;
            running.Wait();
            stalled = false;
            Release();
        }
    }

    private void Release()
    {
        held.ForEach(Process);
        held.Clear();
        heldCount = 0;
    }

    private void Process(InputEvent e)
    {
        if (perEvent > TimeSpan.Zero)
        {
            Thread.Sleep(perEvent);
        }

        // Read before completing: a partition already closed cannot take this completion, so it stores nothing.
        bool stale = e.Progress.IsClosed;
        log.Enqueue(new Processed(member, e.Partition, e.Offset, stale, Stopwatch.GetTimestamp()));
        e.Complete();
    }
}
