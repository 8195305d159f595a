using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Tests.Fakes;

namespace VaeStream.Kafka.Tests.Consuming;

public sealed class LagSamplerTests : IDisposable
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeConsumer consumer = new();
    private readonly FakeTimeProvider time = new();
    private readonly ConsumerStatus status = new();

    public void Dispose() => consumer.Dispose();

    [Fact]
    public void Lag_is_refreshed_at_most_once_a_second_of_the_TimeProvider()
    {
        consumer.HighWatermarks[P0] = 100;
        consumer.Positions[P0] = 40;
        var sampler = new LagSampler(consumer, status, time);

        Assert.False(sampler.Sample([P0]));
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sampler.Sample([P0]));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(sampler.Sample([P0]));
        Assert.Equal(60, status.TotalLag);

        consumer.Positions[P0] = 90;
        for (int i = 0; i < 100; i++)
        {
            Assert.False(sampler.Sample([P0]));
            time.Advance(TimeSpan.FromMilliseconds(9));
        }

        Assert.Equal(60, status.TotalLag);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(sampler.Sample([P0]));
        Assert.Equal(10, status.TotalLag);
        Assert.Equal(2, consumer.WatermarkReads);
    }

    [Fact]
    public void Lag_is_the_high_watermark_less_the_position_and_unknown_partitions_are_left_out()
    {
        TopicPartition noWatermark = new("t", 1), noPosition = new("t", 2), staleWatermark = new("t", 3);
        consumer.HighWatermarks[P0] = 100;
        consumer.Positions[P0] = 40;
        consumer.Positions[noWatermark] = 5;
        consumer.HighWatermarks[noPosition] = 50;
        consumer.HighWatermarks[staleWatermark] = 10;
        consumer.Positions[staleWatermark] = 12;
        var sampler = new LagSampler(consumer, status, time);
        time.Advance(LagSampler.Interval);

        Assert.True(sampler.Sample([P0, noWatermark, noPosition, staleWatermark]));

        Assert.Equal([new PartitionLag("t", 0, 60), new PartitionLag("t", 3, 0)], status.Lag);
    }
}
