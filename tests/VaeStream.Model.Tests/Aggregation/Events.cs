using System.Globalization;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Aggregation;

/// <summary>Small aggregated schemas and events for the aggregate tests: entity <c>host</c>, Unix milliseconds in <c>ts</c>.</summary>
internal static class Events
{
    /// <summary>2026-12-04T21:06:10Z (the collectd recording's interval): a multiple of 10 s, so the start of an interval.</summary>
    public static readonly DateTimeOffset Base = DateTimeOffset.FromUnixTimeSeconds(1_796_418_370);

    public static DateTimeOffset At(double seconds) => Base.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    public static string Ms(double seconds) => At(seconds).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>An event of <paramref name="host"/> at <paramref name="seconds"/> after <see cref="Base"/>, with extra JSON members.</summary>
    public static string Event(string host, double seconds, string members = "") =>
        $$"""{"host":"{{host}}","ts":{{Ms(seconds)}}{{(members.Length == 0 ? "" : "," + members)}}}""";

    /// <summary>A schema of the given features with a 10 s interval and 2 s allowed lateness unless told otherwise.</summary>
    public static FeatureSchema Schema(string features, string aggregation = """{"interval":"10s","allowedLateness":"2s"}""") =>
        FeatureSchema.Parse($$"""{"entityKeyPath":"host","timestampPath":"ts","aggregation":{{aggregation}},"features":[{{features}}]}""");
}
