using System.Diagnostics;
using Confluent.Kafka;
using VaeStream.Kafka.Producing;
using VaeStream.Simulation;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The load generator of the latency scenario: produces events at a steady rate, each stamped with the time it was
/// produced. The events are generated before the clock starts and cycled, and no delivery handler is attached, so
/// the generator's own CPU (JSON writing, per-message callbacks) does not crowd the worker it is measuring on a
/// 2-core machine. Keys repeat across cycles; latency is measured per acknowledged anomaly, not per key.
/// </summary>
internal sealed class PacedFeed
{
    private readonly string bootstrapServers;
    private readonly string topic;
    private readonly string warmupTopic;
    private readonly Message<byte[], byte[]>[] events;

    public PacedFeed(string bootstrapServers, string topic, string warmupTopic, OpsEventGenerator generator, int distinctEvents)
    {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.warmupTopic = warmupTopic;
        events = generator.Generate(distinctEvents)
            .Select(e => new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(e.Key), Value = e.Value })
            .ToArray();
    }

    /// <summary>Produces <paramref name="count"/> events at <paramref name="rate"/> events/s; returns the rate achieved.</summary>
    public async Task<double> RunAsync(int count, double rate)
    {
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 2,
        }).Build();

        // The idempotent producer fetches its id and the metadata on first use; events stamped before that would
        // count the connection set-up as latency. One acknowledged message to another topic gets it done first.
        await producer.ProduceAsync(warmupTopic, events[0]);
        var clock = Stopwatch.StartNew();
        for (int sent = 0; sent < count;)
        {
            Message<byte[], byte[]> source = events[sent % events.Length];
            var message = new Message<byte[], byte[]> { Key = source.Key, Value = source.Value, Timestamp = new Timestamp(DateTime.UtcNow) };
            producer.ProduceOrWait(topic, message);
            sent++;

            // Sleeps whenever it runs more than 2 ms ahead of its schedule, so the load arrives in small, even bursts.
            TimeSpan ahead = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
            if (ahead > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(ahead);
            }
        }

        double achieved = count / clock.Elapsed.TotalSeconds;
        producer.Flush(TimeSpan.FromSeconds(30));
        return achieved;
    }
}
