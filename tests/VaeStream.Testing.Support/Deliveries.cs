using System.Diagnostics;
using Confluent.Kafka;
using Xunit;

namespace VaeStream.Testing;

/// <summary>
/// The delivery check of a test's produce loop: pass <see cref="Report"/> as each message's delivery handler, then
/// <see cref="AssertAllAcknowledged"/> flushes and asserts that the broker acknowledged every message.
/// </summary>
public sealed class Deliveries<TKey, TValue>
{
    private long failed;

    public Deliveries() => Report = report =>
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref failed);
        }
    };

    /// <summary>Counts a failed delivery.</summary>
    public Action<DeliveryReport<TKey, TValue>> Report { get; }

    /// <summary>
    /// Flushes <paramref name="producer"/> until nothing is queued or <paramref name="timeout"/> passes (a flush returns
    /// with messages still queued when its own timeout passes, and disposing would then drop them), then asserts that
    /// nothing is left and no delivery failed.
    /// </summary>
    public void AssertAllAcknowledged(IProducer<TKey, TValue> producer, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0 && clock.Elapsed < timeout)
        {
        }

        Assert.Equal(0, producer.Flush(TimeSpan.Zero));
        Assert.Equal(0, Interlocked.Read(ref failed));
    }
}
