using System.Text;
using System.Text.Json;
using VaeStream.Worker.Alerting;
using VaeStream.Worker.Incidents;

namespace VaeStream.Worker.Tests.Incidents;

public sealed class IncidentMessagesTests
{
    private static readonly IncidentSnapshot Incident = new()
    {
        Id = "anomaly-0123456789abcdef",
        Kind = "anomaly",
        Entity = "h07",
        Sequence = 3,
        State = IncidentState.Update,
        Start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 12, 1, 10, 12, 0, TimeSpan.Zero),
        FirstSource = new SourcePosition("events", 2, 100),
        LastSource = new SourcePosition("events", 2, 240),
        Anomalies = 9,
        Scored = 13,
        PeakScore = 612.5f,
        Threshold = 31.25,
        ModelIds = ["v4-3fa9c2e1", "v5-0badf00d"],
        Features = [new IncidentFeature("latency_p99", 0.71f, 612.4f, 88.1f), new IncidentFeature("cpu", 0.2f, 91f, 40f)],
        FirstEvent = Encoding.UTF8.GetBytes("""{"host":"h07","cpu":91}"""),
        PeakEvent = Encoding.UTF8.GetBytes("""{"host":"h07","latency_ms":{"p99":612.4}}"""),
    };

    [Fact]
    public void A_message_reads_back_as_the_incident_it_was_written_from()
    {
        IncidentSnapshot read = IncidentMessages.Read(IncidentMessages.Write(Incident))!;

        Assert.Equal(Incident with { FirstEvent = null, PeakEvent = null, ModelIds = [], Features = [] },
            read with { FirstEvent = null, PeakEvent = null, ModelIds = [], Features = [] });
        Assert.Equal(Incident.ModelIds, read.ModelIds);
        Assert.Equal(Incident.Features, read.Features);
        Assert.Equal(Encoding.UTF8.GetString(Incident.PeakEvent!), Encoding.UTF8.GetString(read.PeakEvent!));
    }

    [Fact]
    public void The_events_are_embedded_verbatim_and_a_message_of_another_format_reads_as_nothing()
    {
        using JsonDocument message = JsonDocument.Parse(IncidentMessages.Write(Incident));

        Assert.Equal(91, message.RootElement.GetProperty("firstEvent").GetProperty("cpu").GetInt32());
        Assert.Equal("update", message.RootElement.GetProperty("state").GetString());
        Assert.Null(IncidentMessages.Read(Encoding.UTF8.GetBytes("""{"kind":"drift"}""")));
    }

    [Fact]
    public void An_open_alert_has_no_end_and_a_resolved_one_ends_now_never_before_it_started()
    {
        DateTimeOffset now = Incident.Start.AddMinutes(30);
        using JsonDocument open = JsonDocument.Parse(AlertmanagerAlerts.Write([Incident], now, i => "latency_p99"));
        using JsonDocument resolved = JsonDocument.Parse(AlertmanagerAlerts.Write([Incident with { State = IncidentState.Resolved }], Incident.Start.AddMinutes(-5), i => "latency_p99"));

        JsonElement alert = open.RootElement[0];
        Assert.False(alert.TryGetProperty("endsAt", out _));
        Assert.Equal("h07", alert.GetProperty("labels").GetProperty("entity").GetString());
        Assert.Equal("anomaly-0123456789abcdef", alert.GetProperty("labels").GetProperty("incident").GetString());
        Assert.True(resolved.RootElement[0].GetProperty("endsAt").GetDateTimeOffset() > Incident.Start);
    }
}
