using System.Text.Json;
using Confluent.Kafka;

namespace VaeStream.Kafka.Connectivity;

/// <summary>
/// Whether the consumer can reach any broker, for readiness and metrics. librdkafka raises "all brokers down" when
/// the last connection fails but nothing when one comes back, so recovery is read from its statistics, which list
/// every broker's connection state.
/// </summary>
public sealed class BrokerConnectivity(TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private DateTimeOffset? downSince;
    private string lastError = "";
    private long errors;

    /// <summary>When the consumer lost its last broker connection, or null while one is up.</summary>
    public DateTimeOffset? DownSince
    {
        get
        {
            lock (gate)
            {
                return downSince;
            }
        }
    }

    /// <summary>The last connection error librdkafka reported.</summary>
    public string LastError
    {
        get
        {
            lock (gate)
            {
                return lastError;
            }
        }
    }

    /// <summary>Client errors seen so far (each one, including those the log throttle held back).</summary>
    public long Errors => Interlocked.Read(ref errors);

    /// <summary>Records a client error; "all brokers down" marks the outage.</summary>
    public void OnError(Error error)
    {
        Interlocked.Increment(ref errors);
        lock (gate)
        {
            lastError = error.Reason;
            if (error.Code == ErrorCode.Local_AllBrokersDown)
            {
                downSince ??= clock.GetUtcNow();
            }
        }
    }

    /// <summary>Reads librdkafka's statistics JSON: any broker in state UP or UPDATE ends an outage, none starts one.</summary>
    public void OnStatistics(string json)
    {
        bool? anyUp = AnyBrokerUp(json);
        lock (gate)
        {
            if (anyUp == true)
            {
                downSince = null;
            }
            else if (anyUp == false)
            {
                downSince ??= clock.GetUtcNow();
            }
        }
    }

    private static bool? AnyBrokerUp(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("brokers", out JsonElement brokers) || brokers.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return brokers.EnumerateObject().Any(b => b.Value.TryGetProperty("state", out JsonElement state)
                && state.GetString() is "UP" or "UPDATE");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
