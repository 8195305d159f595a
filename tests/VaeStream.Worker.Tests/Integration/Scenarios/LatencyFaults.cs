using System.Text.Json;
using VaeStream.Simulation;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>Events of a host whose latency runs about ten times its normal level: an anomaly every model flags.</summary>
internal static class LatencyFaults
{
    /// <summary>One fault event of <paramref name="host"/> at <paramref name="minute"/> minutes past a month after the generator's start.</summary>
    public static byte[] Event(string host, int minute) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        host,
        ts = OpsEventGenerator.Origin.AddDays(30).AddMinutes(minute).ToUnixTimeMilliseconds(),
        cpu = 50.0,
        mem = 50.0,
        latency_ms = new { p50 = 400.0, p99 = 2500.0 },
        error_rate = 0.5,
        request_rate = 750.0,
    });
}
