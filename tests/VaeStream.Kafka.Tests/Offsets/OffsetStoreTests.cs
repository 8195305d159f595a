using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Tests.Fakes;

namespace VaeStream.Kafka.Tests.Offsets;

public sealed class OffsetStoreTests : IDisposable
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeConsumer consumer = new();
    private readonly OffsetStore store;

    public OffsetStoreTests() => store = new OffsetStore(consumer, NullLogger.Instance);

    public void Dispose() => consumer.Dispose();

    private PartitionProgress Progress(params long[] tracked)
    {
        var progress = new PartitionProgress(P0, store.OnAdvanced);
        foreach (long offset in tracked)
        {
            progress.Track(offset);
        }

        return progress;
    }

    [Fact]
    public void An_advanced_partition_is_stored_at_its_contiguous_position_once()
    {
        consumer.Assign([P0]);
        PartitionProgress progress = Progress(0, 1, 2, 3);

        progress.Complete(0);
        progress.Complete(2);
        store.StoreAdvanced();
        progress.Complete(1);
        progress.Complete(3);
        store.StoreAdvanced();
        store.StoreAdvanced();
        store.Store(progress);

        Assert.Equal(["Store t [[0]]@1", "Store t [[0]]@4"], consumer.Calls);
        Assert.Equal(4, store.Stored[P0]);
    }

    [Fact]
    public void A_store_never_goes_backwards_within_an_assignment()
    {
        consumer.Assign([P0]);
        PartitionProgress first = Progress(9);
        first.Complete(9);
        store.StoreAdvanced();

        // A stale progress of the same partition, lower than what was stored.
        PartitionProgress stale = Progress(4);
        stale.Complete(4);
        store.StoreAdvanced();

        Assert.Equal([new TopicPartitionOffset(P0, 10)], consumer.StoredOffsets);
        Assert.Equal(10, store.Stored[P0]);

        // A new assignment starts from the committed offset, which may be lower: after Forget it is stored.
        store.Forget(P0);
        store.Store(stale);
        Assert.Equal(5, store.Stored[P0]);
    }

    [Fact]
    public void A_store_refused_with_Local_State_is_skipped_and_not_remembered()
    {
        PartitionProgress progress = Progress(0, 1);
        progress.Complete(0);

        store.StoreAdvanced();

        Assert.Empty(consumer.StoredOffsets);
        Assert.False(store.Stored.ContainsKey(P0));

        // Had the refused offset been remembered as stored, this equal position would be skipped.
        consumer.Assign([P0]);
        store.Store(progress);
        Assert.Equal([new TopicPartitionOffset(P0, 1)], consumer.StoredOffsets);
    }

    [Fact]
    public void A_closed_partition_is_never_stored()
    {
        consumer.Assign([P0]);
        PartitionProgress progress = Progress(0, 1);
        progress.Complete(0);
        progress.Close();

        store.StoreAdvanced();
        store.Store(progress);

        Assert.Empty(consumer.StoredOffsets);
    }

    [Fact]
    public void The_final_commit_passes_over_no_new_offsets()
    {
        consumer.Assign([P0]);

        store.Commit();

        Assert.Equal(["Commit"], consumer.Calls);
    }

    [Theory]
    [InlineData(ErrorCode.Local_State)]
    [InlineData(ErrorCode.RebalanceInProgress)]
    [InlineData(ErrorCode.IllegalGeneration)]
    [InlineData(ErrorCode.UnknownMemberId)]
    public void The_final_commit_passes_over_a_group_that_moved_on(ErrorCode code)
    {
        consumer.Assign([P0]);
        PartitionProgress progress = Progress(0);
        progress.Complete(0);
        store.StoreAdvanced();
        consumer.CommitError = code;

        store.Commit();

        Assert.Equal(["Store t [[0]]@1", "Commit"], consumer.Calls);
    }

    [Fact]
    public void Any_other_commit_error_escapes()
    {
        consumer.Assign([P0]);
        PartitionProgress progress = Progress(0);
        progress.Complete(0);
        store.StoreAdvanced();
        consumer.CommitError = ErrorCode.Local_TimedOut;

        KafkaException error = Assert.Throws<KafkaException>(store.Commit);

        Assert.Equal(ErrorCode.Local_TimedOut, error.Error.Code);
    }
}
