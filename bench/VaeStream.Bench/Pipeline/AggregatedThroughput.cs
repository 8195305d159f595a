using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Simulation;
using VaeStream.Testing;
using VaeStream.Worker.Hosting;

namespace VaeStream.Bench.Pipeline;

/// <summary>The worker on an aggregated schema: raw events read into intervals, per second.</summary>
internal sealed record AggregatedResult(int Events, int Entities, TimeSpan Interval, int EventsPerRow, double EventsPerSecond,
    double FirstPassEventsPerSecond, long Rows, CpuCost Cpu, double PeakRssMb, IReadOnlyDictionary<string, double> ThreadMicroseconds);

/// <summary>
/// Scenario 7: 1,000 hosts each sending one metrics event a second, through an aggregated schema of 10 s intervals, so
/// that each row summarises 10 events. The rate is raw events per second, from the first event consumed until every
/// event has left the channel for its interval; the model is pre-trained on rows the offline reader aggregated the same
/// way.
/// </summary>
internal static class AggregatedThroughput
{
    public const int Entities = 1000;
    /// <summary>Partitions of the backlog's topic: 600,000 events stay under the mock cluster's 5 MB per partition.</summary>
    public const int Partitions = 48;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public static async Task<AggregatedResult> RunAsync(BenchCluster cluster, string work, int events)
    {
        // The shipped example: the ops events' fields per host and 10 s.
        string schemaPath = VaeStreamHostingExtensions.ResolvePath("config/schemas/ops-aggregated.json");
        FeatureSchema schema = FeatureSchema.Load(schemaPath);
        string checkpoints = Path.Combine(work, "checkpoints-aggregated");
        Pretrain(schema, Path.Combine(work, "ops-train.jsonl"), checkpoints);

        // One topic, keyed by host, so that each host's events reach the worker in time order.
        const string topic = "aggregated-backlog";
        cluster.CreateTopic(topic, Partitions);
        using (IProducer<string, byte[]> producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 500_000,
        }).Build())
        {
            foreach ((string host, byte[] value) in PerSecondEvents(events, seed: 5))
            {
                producer.ProduceOrWait(topic, new Message<string, byte[]> { Key = host, Value = value });
            }

            producer.Flush(TimeSpan.FromMinutes(2));
        }

        // Like scenario 2, the backlog is read twice, each time by a new consumer group, and the second pass counts:
        // the first one includes the tiered compilation of the aggregation path, most of a pass this short.
        AggregatedResult first = await Pass(cluster, topic, checkpoints, schemaPath, events, firstPass: null);
        return await Pass(cluster, topic, checkpoints, schemaPath, events, first.EventsPerSecond);
    }

    private static async Task<AggregatedResult> Pass(BenchCluster cluster, string topic, string checkpoints, string schemaPath, int events, double? firstPass)
    {
        ProcessMemory.ResetPeak();
        await using var run = new WorkerBenchRun(cluster.BootstrapServers, [topic], checkpoints, events, new Dictionary<string, string?>
        {
            ["Features:SchemaPath"] = schemaPath,
        });
        await run.StartAsync();
        ConsumerStatus status = run.Services.GetRequiredService<ConsumerStatus>();
        long Consumed() => status.Consumed.Sum(c => c.Value);
        if (!await Wait.UntilAsync(() => Consumed() > 0, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(5)))
        {
            throw new InvalidOperationException("the aggregated worker consumed nothing in a minute");
        }

        (long consumedAtStart, TimeSpan cpuAtStart, long wallAtStart) = (Consumed(), ProcessCpu.Used(), Stopwatch.GetTimestamp());
        Dictionary<string, TimeSpan> threadsAtStart = ThreadCpu.Snapshot();
        if (!await Wait.UntilAsync(() => Consumed() >= events && run.Metrics.InputWaiting == 0, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(5)))
        {
            throw new InvalidOperationException($"the aggregated worker read {Consumed()} of {events} events in 3 minutes");
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(wallAtStart);
        long measured = events - consumedAtStart;
        CpuCost cpu = ProcessCpu.Cost(ProcessCpu.Used() - cpuAtStart, wall, measured);
        Dictionary<string, double> threads = ThreadCpu.PerEvent(threadsAtStart, ThreadCpu.Snapshot(), measured);
        return new AggregatedResult(events, Entities, Interval, 10, measured / wall.TotalSeconds, firstPass ?? double.NaN, run.Metrics.Scored, cpu,
            ProcessMemory.PeakResidentMb(), threads);
    }

    // 30,000 events of 1,000 hosts: 3,000 rows of 10 s, aggregated by the offline reader as `train` would.
    private static void Pretrain(FeatureSchema schema, string jsonl, string checkpoints)
    {
        var lines = new StringBuilder();
        foreach ((_, byte[] value) in PerSecondEvents(30_000, seed: 77))
        {
            lines.Append(Encoding.UTF8.GetString(value)).Append('\n');
        }

        File.WriteAllText(jsonl, lines.ToString());
        using AnomalyDetector detector = DetectorTrainer.Train(FeatureTable.Read(jsonl, schema), BenchInputs.OpsModelOptions());
        Directory.CreateDirectory(checkpoints);
        ModelCheckpoint.Save(detector, Path.Combine(checkpoints, "model-v000001.vae"));
    }

    // The ops generator's fields and values, one event per host and second: its own events are a minute apart.
    private static IEnumerable<(string Host, byte[] Value)> PerSecondEvents(int count, int seed)
    {
        long start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        int second = 0;
        foreach (GeneratedEvent e in new OpsEventGenerator(Entities, 0.01, seed).Generate(count))
        {
            var node = JsonNode.Parse(e.Value)!.AsObject();
            string host = node["host"]!.GetValue<string>();
            int step = second++ / Entities;
            node["ts"] = start + step * 1000L;
            yield return (host, JsonSerializer.SerializeToUtf8Bytes(node));
        }
    }
}
