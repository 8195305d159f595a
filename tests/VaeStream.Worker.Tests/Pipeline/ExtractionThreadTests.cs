using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Pipeline;

/// <summary>
/// Extraction one batch ahead of scoring, with the real channel, micro-batcher, extractor and offset bookkeeping:
/// batches come out in the order they were read, every event once, and an event's offset becomes storable only
/// once the output the extraction thread published for it (its dead letter) is acknowledged.
/// </summary>
public sealed class ExtractionThreadTests
{
    private const int Partitions = 2;
    private static readonly FeatureSchema Schema = FeatureSchema.Load(Path.Combine(RepositoryRoot.Path, "config", "schemas", "ops-event.json"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Batches_come_out_in_the_order_read_each_event_once_whatever_the_number_of_extraction_threads(int threads)
    {
        var publisher = new HoldingPublisher(hold: false);
        (List<InputEvent> events, PartitionProgress[] progress) = Events(6_000);
        List<InputEvent> readable = [];
        int batches = 0;
        using (ExtractionThread extraction = Start(events, publisher, threads))
        {
            while (extraction.TryTake(out ExtractedBatch? batch))
            {
                batches++;
                foreach (InputEvent e in batch.Extracted)
                {
                    readable.Add(e);
                    // What the scoring thread does with a normal event.
                    e.Complete();
                }

                extraction.Return(batch);
            }

            Assert.Equal(0, extraction.Waiting);
        }

        List<InputEvent> deadLettered = [.. publisher.DeadLettered];
        Assert.True(batches > 1, $"{batches} batches");
        Assert.True(deadLettered.Count > 500, $"{deadLettered.Count} dead letters: the input should hold many unreadable events");
        Assert.Equal(events.Count, readable.Count + deadLettered.Count);
        Assert.Equal(events.Select(e => (e.Partition, e.Offset)).Order(), readable.Concat(deadLettered).Select(e => (e.Partition, e.Offset)).Order());
        var read = new HashSet<InputEvent>(readable, ReferenceEqualityComparer.Instance);
        for (int p = 0; p < Partitions; p++)
        {
            // Within a partition, rows and dead letters each keep the partition's order.
            Assert.Equal(events.Where(e => e.Partition == p && read.Contains(e)).Select(e => e.Offset), readable.Where(e => e.Partition == p).Select(e => e.Offset));
            Assert.Equal(events.Where(e => e.Partition == p && !read.Contains(e)).Select(e => e.Offset), deadLettered.Where(e => e.Partition == p).Select(e => e.Offset));
            Assert.Equal(events.Count(e => e.Partition == p), progress[p].StorableOffset);
        }
    }

    [Fact]
    public void An_offset_becomes_storable_only_when_the_dead_letter_published_ahead_of_scoring_is_acknowledged()
    {
        var publisher = new HoldingPublisher(hold: true);
        (List<InputEvent> events, PartitionProgress[] progress) = Events(3_000);
        using (ExtractionThread extraction = Start(events, publisher, threads: 1))
        {
            while (extraction.TryTake(out ExtractedBatch? batch))
            {
                foreach (InputEvent e in batch.Extracted)
                {
                    e.Complete();
                }

                extraction.Return(batch);
            }
        }

        for (int p = 0; p < Partitions; p++)
        {
            // Every readable event is complete; the partition's first unacknowledged dead letter holds its offset back.
            long firstHeld = publisher.DeadLettered.Where(e => e.Partition == p).Min(e => e.Offset);
            Assert.Equal(firstHeld == 0 ? null : firstHeld, progress[p].StorableOffset);
        }

        publisher.AcknowledgeAll();
        for (int p = 0; p < Partitions; p++)
        {
            Assert.Equal(events.Count(e => e.Partition == p), progress[p].StorableOffset);
        }
    }

    private static ExtractionThread Start(List<InputEvent> events, HoldingPublisher publisher, int threads)
    {
        var options = new PipelineOptions { MaxBatchSize = 512, ExtractionThreads = threads };
        var channel = Channel.CreateBounded<InputEvent>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        var metrics = new WorkerMetrics();
        var extraction = new BatchExtraction(Schema, options, metrics, (source, letter) => publisher.PublishDeadLetter(source, letter));
        var thread = new ExtractionThread(new MicroBatcher<InputEvent>(channel.Reader, options.MaxBatchSize, TimeSpan.FromMilliseconds(5), TimeProvider.System), extraction);
        // The consume thread's part, on a thread of its own so that a full channel makes it wait as it would.
        _ = Task.Run(async () =>
        {
            foreach (InputEvent e in events)
            {
                await channel.Writer.WriteAsync(e);
            }

            channel.Writer.Complete();
        });
        return thread;
    }

    // Two partitions, interleaved; every fifth event is unreadable, of a different kind each time.
    private static (List<InputEvent> Events, PartitionProgress[] Progress) Events(int count)
    {
        var generator = new OpsEventGenerator(hosts: 7, anomalyRate: 0.05, seed: 23);
        using IEnumerator<(string Key, byte[] Value, string Kind)> malformed = generator.Malformed(count).GetEnumerator();
        PartitionProgress[] progress = [.. Enumerable.Range(0, Partitions).Select(p => new PartitionProgress(new TopicPartition("events", p)))];
        long[] next = new long[Partitions];
        var events = new List<InputEvent>(count);
        int i = 0;
        foreach (GeneratedEvent e in generator.Generate(count))
        {
            int partition = i % Partitions;
            byte[] value = i++ % 5 == 3 && malformed.MoveNext() ? malformed.Current.Value : e.Value;
            long offset = next[partition]++;
            progress[partition].Track(offset);
            events.Add(new InputEvent("events", partition, offset, Encoding.UTF8.GetBytes(e.Key), value, null, new Timestamp(DateTime.UtcNow), progress[partition]));
        }

        return (events, progress);
    }

    // Acknowledges each output at once, or holds them all until told, as a broker that has not answered yet.
    private sealed class HoldingPublisher(bool hold) : IOutputPublisher
    {
        private readonly ConcurrentQueue<InputEvent> held = new();

        public ConcurrentQueue<InputEvent> DeadLettered { get; } = new();

        public void PublishAnomaly(InputEvent source, byte[]? key, byte[] message) => throw new InvalidOperationException("no anomalies here");

        public void PublishDeadLetter(InputEvent source, DeadLetter letter)
        {
            DeadLettered.Enqueue(source);
            if (hold)
            {
                held.Enqueue(source);
            }
            else
            {
                source.Complete();
            }
        }

        public void PublishIncident(byte[] key, byte[] message, InputEvent? source) => throw new InvalidOperationException("no incidents here");

        public void AcknowledgeAll()
        {
            while (held.TryDequeue(out InputEvent? source))
            {
                source.Complete();
            }
        }
    }
}
