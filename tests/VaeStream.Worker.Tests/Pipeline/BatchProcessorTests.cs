using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Offsets;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Tests.Pipeline;

public sealed class BatchProcessorTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.Load(Path.Combine(RepositoryRoot.Path, "config", "schemas", "ops-event.json"));

    // Every fifth event is unreadable, of a different kind each time, so each thread's share holds some.
    private static List<InputEvent> MixedBatch(int size)
    {
        var generator = new OpsEventGenerator(hosts: 7, anomalyRate: 0.05, seed: 21);
        using IEnumerator<(string Key, byte[] Value, string Kind)> malformed = generator.Malformed(size).GetEnumerator();
        var progress = new PartitionProgress(new TopicPartition("events", 0));
        var batch = new List<InputEvent>(size);
        int offset = 0;
        foreach (GeneratedEvent e in generator.Generate(size))
        {
            byte[] value = e.Value;
            if (offset % 5 == 3 && malformed.MoveNext())
            {
                value = malformed.Current.Value;
            }

            batch.Add(new InputEvent("events", 0, offset++, Encoding.UTF8.GetBytes(e.Key), value, null, new Timestamp(DateTime.UtcNow), progress));
        }

        return batch;
    }

    private static (BatchProcessor Processor, RecordingPublisher Publisher) Processor(int extractionThreads)
    {
        var publisher = new RecordingPublisher();
        var options = new PipelineOptions { MaxBatchSize = 1024, ExtractionThreads = extractionThreads };
        return (new BatchProcessor(Schema, options, publisher, new WorkerMetrics(), NullLogger.Instance), publisher);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Rows_and_dead_letters_keep_the_batch_order_whatever_the_number_of_extraction_threads(int threads)
    {
        List<InputEvent> batch = MixedBatch(1024);
        (BatchProcessor processor, RecordingPublisher publisher) = Processor(threads);

        ExtractedBatch extracted = processor.Extraction.NewBatch();
        int count = processor.Extraction.Extract(batch, extracted);

        var extractor = new JsonFeatureExtractor(Schema);
        var expectedRows = new List<InputEvent>();
        var expectedDead = new List<long>();
        foreach (InputEvent e in batch)
        {
            try
            {
                extractor.Extract(e.Value, new float[Schema.FeatureCount]);
                expectedRows.Add(e);
            }
            catch (FeatureExtractionException)
            {
                expectedDead.Add(e.Offset);
            }
        }

        Assert.Equal(expectedRows.Count, count);
        Assert.True(expectedDead.Count > 150, $"the batch should hold many unreadable events, has {expectedDead.Count}");
        Assert.Equal(expectedDead, publisher.Published.Select(p => p.Source!.Offset));
        Assert.All(publisher.Published, p => Assert.Equal(RecordingPublisher.DeadLetterOutput, p.Output));
        Assert.Equal(expectedRows.Select(e => e.Offset), extracted.Extracted.ToArray().Select(e => e.Offset));
        float[] row = new float[Schema.FeatureCount];
        for (int i = 0; i < count; i++)
        {
            string? entity = extractor.Extract(expectedRows[i].Value, row).EntityKey;
            Assert.Equal(entity, extracted.Entity(i));
            Assert.Equal(row, extracted.Row(i).ToArray());
        }
    }

    [Fact]
    public void A_batch_larger_than_MaxBatchSize_is_refused_with_the_setting_named()
    {
        (BatchProcessor processor, _) = Processor(2);
        var e = Assert.Throws<ArgumentException>(() => processor.Extraction.Extract(MixedBatch(1025), processor.Extraction.NewBatch()));
        Assert.Contains("Pipeline:MaxBatchSize (1024)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TombstonePolicy.DeadLetter))]
    [InlineData(nameof(TombstonePolicy.Skip))]
    public void A_tombstone_is_dead_lettered_with_its_null_value_or_passed_over_by_configuration(string tombstones)
    {
        TombstonePolicy policy = Enum.Parse<TombstonePolicy>(tombstones);
        var publisher = new RecordingPublisher();
        var metrics = new WorkerMetrics();
        var processor = new BatchProcessor(Schema, new PipelineOptions { Tombstones = policy }, publisher, metrics, NullLogger.Instance);
        var progress = new PartitionProgress(new TopicPartition("events", 0));
        progress.Track(0);
        var tombstone = new InputEvent("events", 0, 0, "h1"u8.ToArray(), [], null, new Timestamp(DateTime.UtcNow), progress) { IsTombstone = true };

        int rows = processor.Extraction.Extract([tombstone], processor.Extraction.NewBatch());

        Assert.Equal(0, rows);
        if (policy == TombstonePolicy.Skip)
        {
            Assert.Empty(publisher.Published);
            Assert.Equal(1, progress.StorableOffset);
        }
        else
        {
            (string output, InputEvent? source, DeadLetter? letter) = Assert.Single(publisher.Published);
            Assert.Equal(RecordingPublisher.DeadLetterOutput, output);
            Assert.Same(tombstone, source);
            Assert.Equal("Tombstone", letter?.Kind);
        }
    }

    private sealed class RecordingPublisher : IOutputPublisher
    {
        public const string DeadLetterOutput = "dead letter";

        public List<(string Output, InputEvent? Source, DeadLetter? Letter)> Published { get; } = [];

        public void PublishAnomaly(InputEvent source, byte[]? key, byte[] message) => Published.Add(("anomaly", source, null));

        public void PublishDeadLetter(InputEvent source, DeadLetter letter) => Published.Add((DeadLetterOutput, source, letter));

        public void PublishIncident(byte[] key, byte[] message, InputEvent? source) => Published.Add(("incident", source, null));
    }
}
