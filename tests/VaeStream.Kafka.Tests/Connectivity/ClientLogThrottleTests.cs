using Microsoft.Extensions.Time.Testing;
using VaeStream.Kafka.Connectivity;

namespace VaeStream.Kafka.Tests.Connectivity;

public sealed class ClientLogThrottleTests
{
    private readonly FakeTimeProvider time = new();

    private ClientLogThrottle Throttle(TimeSpan interval) => new(interval, time);

    private void Advance(TimeSpan by) => time.Advance(by);

    [Fact]
    public void The_first_line_of_a_kind_passes_and_repeats_within_the_interval_are_counted_into_the_next()
    {
        ClientLogThrottle throttle = Throttle(TimeSpan.FromSeconds(30));

        Assert.True(throttle.ShouldWrite("consumer/FAIL", out int first));
        int passed = 0;
        for (int i = 0; i < 45 * 29; i++)
        {
            Advance(TimeSpan.FromSeconds(1.0 / 45));
            passed += throttle.ShouldWrite("consumer/FAIL", out _) ? 1 : 0;
        }

        Advance(TimeSpan.FromSeconds(2));
        Assert.True(throttle.ShouldWrite("consumer/FAIL", out int suppressed));
        Assert.Equal(0, first);
        Assert.Equal(0, passed);
        Assert.Equal(45 * 29, suppressed);
    }

    [Fact]
    public void Kinds_are_throttled_apart()
    {
        ClientLogThrottle throttle = Throttle(TimeSpan.FromSeconds(30));

        Assert.True(throttle.ShouldWrite("consumer/FAIL", out _));
        Assert.True(throttle.ShouldWrite("producer/FAIL", out _));
        Assert.False(throttle.ShouldWrite("consumer/FAIL", out _));
    }

    [Fact]
    public void A_zero_interval_lets_every_line_through()
    {
        ClientLogThrottle throttle = Throttle(TimeSpan.Zero);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(throttle.ShouldWrite("consumer/FAIL", out _)));
    }
}
