using System.Diagnostics;
using Confluent.Kafka;
using VaeStream.Kafka.Producing;

namespace VaeStream.Simulation;

/// <summary>
/// Produces generated events to a topic at a steady rate (events/s), mixing in malformed payloads, and keeps the
/// ground truth: which keys were injected anomalies and which were malformed.
/// </summary>
public sealed class EventFeed(string bootstrapServers, string topic, OpsEventGenerator generator)
{
    private readonly Dictionary<string, AnomalyKind> truth = [];
    private readonly HashSet<string> malformed = [];
    private long produced;

    /// <summary>Ground truth of every produced valid event.</summary>
    public IReadOnlyDictionary<string, AnomalyKind> Truth => truth;

    /// <summary>Keys of the malformed events produced.</summary>
    public IReadOnlySet<string> MalformedKeys => malformed;

    /// <summary>Events produced (and acknowledged) so far.</summary>
    public long Produced => Interlocked.Read(ref produced);

    /// <summary>
    /// Produces <paramref name="count"/> events (0 = until cancelled) at <paramref name="rate"/> events/s, one in
    /// every <paramref name="malformedEvery"/> malformed (0 = none).
    /// </summary>
    public async Task RunAsync(int count, double rate, int malformedEvery, CancellationToken cancellationToken)
    {
        using IProducer<string, byte[]> producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 2,
        }).Build();

        // Sized once: growing a dictionary of 100,000s of keys allocates ever larger arrays, and their collections
        // pause the whole process, the worker in it included.
        truth.EnsureCapacity(truth.Count + count);
        var clock = Stopwatch.StartNew();
        using IEnumerator<(string Key, byte[] Value, string Kind)> bad = generator.Malformed(int.MaxValue).GetEnumerator();
        int sent = 0;
        foreach (GeneratedEvent e in generator.Generate(count == 0 ? int.MaxValue : count))
        {
            cancellationToken.ThrowIfCancellationRequested();
            truth[e.Key] = e.Kind;
            Produce(producer, e.Key, e.Value);
            sent++;
            if (malformedEvery > 0 && sent % malformedEvery == 0 && bad.MoveNext())
            {
                malformed.Add(bad.Current.Key);
                Produce(producer, bad.Current.Key, bad.Current.Value);
            }

            // Pacing: sleep whenever the feed runs ahead of its schedule. When it runs behind, it still yields now
            // and then: on 2 cores a feed that never awaits holds a pool thread and starves the pipeline's continuations.
            TimeSpan due = TimeSpan.FromSeconds(sent / rate);
            if (due - clock.Elapsed > TimeSpan.FromMilliseconds(5))
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
            else if (sent % 256 == 0)
            {
                await Task.Yield();
            }
        }

        producer.Flush(cancellationToken);
    }

    private void Produce(IProducer<string, byte[]> producer, string key, byte[] value)
    {
        var message = new Message<string, byte[]> { Key = key, Value = value, Timestamp = new Timestamp(DateTime.UtcNow) };
        producer.ProduceOrWait(topic, message, report =>
        {
            if (!report.Error.IsError)
            {
                Interlocked.Increment(ref produced);
            }
        });
    }
}
