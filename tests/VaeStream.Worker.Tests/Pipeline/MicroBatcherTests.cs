using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Pipeline;

public sealed class MicroBatcherTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);
    private readonly FakeTimeProvider time = new();
    private readonly Channel<int> channel = Channel.CreateBounded<int>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.Wait });

    private MicroBatcher<int> Batcher(int maxBatchSize) => new(channel.Reader, maxBatchSize, Delay, time);

    // Advances the fake clock in 1 ms steps up to the batch deadline, as a real clock would, then waits for the read
    // to complete. The clock never runs past the deadline, so the outcome does not depend on how fast this machine
    // runs the batcher's continuations: on a busy one, a clock that kept ticking while they waited overshot it.
    private async Task<bool> CompleteByAdvancingTo(ValueTask<bool> read, DateTimeOffset deadline)
    {
        Task<bool> task = read.AsTask();
        while (!task.IsCompleted && time.GetUtcNow() < deadline)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_full_batch_closes_at_once_without_waiting_for_the_clock()
    {
        for (int i = 0; i < 10; i++)
        {
            channel.Writer.TryWrite(i);
        }

        var batch = new List<int>();
        DateTimeOffset before = time.GetUtcNow();
        bool read = await Batcher(4).ReadBatchAsync(batch, CancellationToken.None);

        Assert.True(read);
        Assert.Equal([0, 1, 2, 3], batch);
        Assert.Equal(before, time.GetUtcNow());
    }

    [Fact]
    public async Task A_partial_batch_closes_when_the_delay_since_its_first_item_passes()
    {
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);
        var batch = new List<int>();
        DateTimeOffset started = time.GetUtcNow();
        ValueTask<bool> read = Batcher(100).ReadBatchAsync(batch, CancellationToken.None);
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50); // time for a batch that closed too early to show it

        Assert.False(read.IsCompleted, "the batch closed before its delay had passed");
        Assert.True(await CompleteByAdvancingTo(read, started + Delay));
        Assert.Equal([1, 2], batch);
        Assert.Equal(Delay, time.GetUtcNow() - started);
    }

    [Fact]
    public async Task Items_arriving_before_the_deadline_join_the_batch()
    {
        channel.Writer.TryWrite(1);
        var batch = new List<int>();
        DateTimeOffset started = time.GetUtcNow();
        ValueTask<bool> read = Batcher(100).ReadBatchAsync(batch, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(4));
        channel.Writer.TryWrite(2);

        Assert.True(await CompleteByAdvancingTo(read, started + Delay));
        Assert.Equal([1, 2], batch);
    }

    [Fact]
    public async Task A_completed_channel_yields_its_remaining_items_then_reports_the_end()
    {
        channel.Writer.TryWrite(7);
        channel.Writer.TryWrite(8);
        channel.Writer.Complete();
        MicroBatcher<int> batcher = Batcher(100);
        var batch = new List<int>();

        bool first = await batcher.ReadBatchAsync(batch, CancellationToken.None);
        int[] firstBatch = [.. batch];
        bool second = await batcher.ReadBatchAsync(batch, CancellationToken.None);

        Assert.True(first);
        Assert.Equal([7, 8], firstBatch);
        Assert.False(second);
        Assert.Empty(batch);
    }
}
