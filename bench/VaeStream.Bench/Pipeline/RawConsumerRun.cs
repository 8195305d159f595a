using System.Diagnostics;
using Confluent.Kafka;

namespace VaeStream.Bench.Pipeline;

/// <summary>
/// The ceiling: a plain Confluent.Kafka consumer that only counts messages, with the worker's fetch settings, over
/// the same backlog. Timed from the first message to the last.
/// </summary>
internal static class RawConsumerRun
{
    public static (double EventsPerSecond, TimeSpan Elapsed, CpuCost Cpu) Run(string bootstrapServers, IReadOnlyList<string> topics, int expected)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"raw-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
            FetchErrorBackoffMs = 10,
            FetchQueueBackoffMs = 10,
        }).Build();
        consumer.Subscribe(topics);
        int count = 0;
        long first = 0;
        TimeSpan cpuAtFirst = TimeSpan.Zero;
        var deadline = Stopwatch.StartNew();
        while (count < expected && deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            ConsumeResult<byte[], byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is null)
            {
                continue;
            }

            if (count++ == 0)
            {
                first = Stopwatch.GetTimestamp();
                cpuAtFirst = ProcessCpu.Used();
            }
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(first);
        CpuCost cpu = ProcessCpu.Cost(ProcessCpu.Used() - cpuAtFirst, elapsed, count);
        consumer.Close();
        if (count < expected)
        {
            throw new InvalidOperationException($"the raw consumer read {count} of {expected} messages in 3 minutes");
        }

        return (count / elapsed.TotalSeconds, elapsed, cpu);
    }
}
