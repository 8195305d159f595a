using System.Globalization;
using Prometheus;
using VaeStream.Kafka.Consuming;

namespace VaeStream.Worker.Operations;

/// <summary>
/// The Kafka side of <c>/metrics</c>: records consumed, lag, assigned partitions, broker reachability, client errors
/// and skipped offsets, copied from the consume thread's <see cref="ConsumerStatus"/> at each scrape.
/// </summary>
internal sealed class ConsumerMetrics
{
    private readonly Counter consumed;
    private readonly Gauge consumerLag;
    private readonly Gauge partitionsAssigned;
    private readonly Counter clientErrors;
    private readonly Counter offsetsSkipped;
    private readonly Gauge brokersReachable;
    private readonly HashSet<(string, int)> lagLabels = [];
    private ConsumerStatus? status;
    private Func<long>? producerErrors;

    public ConsumerMetrics(IMetricFactory factory)
    {
        consumed = factory.CreateCounter("vaestream_events_consumed_total", "Records read from the input topics", ["topic"]);
        consumerLag = factory.CreateGauge("vaestream_consumer_lag", "Records behind the high watermark, per assigned partition", ["topic", "partition"]);
        partitionsAssigned = factory.CreateGauge("vaestream_partitions_assigned", "Input partitions assigned to this worker");
        clientErrors = factory.CreateCounter("vaestream_kafka_client_errors_total", "Errors the Kafka clients reported (connection failures included), each counted even when its log line was held back", ["client"]);
        offsetsSkipped = factory.CreateCounter("vaestream_offsets_skipped_total", "Input records never read because the broker no longer had them (retention, trimming); each run is also logged as an error", ["topic", "partition"]);
        brokersReachable = factory.CreateGauge("vaestream_kafka_brokers_reachable", "1 while the consumer has a broker connection up, 0 during an outage");
    }

    public void Watch(ConsumerStatus consumer, Func<long>? producerErrorsNow)
    {
        status = consumer;
        producerErrors = producerErrorsNow;
    }

    /// <summary>Creates the per-topic and per-client series at zero, so that <c>rate()</c> sees the first increment.</summary>
    public void KnownTopics(IEnumerable<string> topics)
    {
        foreach (string topic in topics)
        {
            consumed.WithLabels(topic);
        }

        clientErrors.WithLabels("consumer");
        clientErrors.WithLabels("producer");
    }

    public void Refresh()
    {
        if (status is not { } s)
        {
            return;
        }

        TopicTotals.CopyTo(consumed, s.Consumed.ToList());
        partitionsAssigned.Set(s.AssignedPartitions);
        brokersReachable.Set(s.Brokers.DownSince is null ? 1 : 0);
        foreach (((string topic, int partition), long count) in s.Skipped)
        {
            offsetsSkipped.WithLabels(topic, partition.ToString(CultureInfo.InvariantCulture)).IncTo(count);
        }

        clientErrors.WithLabels("consumer").IncTo(s.Brokers.Errors);
        clientErrors.WithLabels("producer").IncTo(producerErrors?.Invoke() ?? 0);
        RefreshLag(s.Lag);
    }

    // A partition that moved to another worker loses its series here, so a dashboard does not sum a stale lag.
    private void RefreshLag(IEnumerable<PartitionLag> lags)
    {
        lock (lagLabels)
        {
            var current = new HashSet<(string, int)>();
            foreach (PartitionLag lag in lags)
            {
                consumerLag.WithLabels(lag.Topic, lag.Partition.ToString(CultureInfo.InvariantCulture)).Set(lag.Lag);
                current.Add((lag.Topic, lag.Partition));
            }

            foreach ((string topic, int partition) in lagLabels.Except(current))
            {
                consumerLag.RemoveLabelled(topic, partition.ToString(CultureInfo.InvariantCulture));
            }

            lagLabels.Clear();
            lagLabels.UnionWith(current);
        }
    }
}
