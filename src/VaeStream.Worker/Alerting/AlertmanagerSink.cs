using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeStream.Worker.Incidents;

namespace VaeStream.Worker.Alerting;

/// <summary>
/// Posts open incidents to Alertmanager (<c>POST /api/v2/alerts</c>) when one opens or resolves, and all open ones
/// again every <see cref="AlertmanagerOptions.ResendInterval"/>. It never touches the Kafka pipeline: the incident
/// topic is the record, and this sink re-sends from the tracker's state, so an Alertmanager outage only delays
/// pages. A failed post is retried with backoff (so logged at most once per backoff period) and counted.
/// </summary>
internal sealed partial class AlertmanagerSink(IOptions<AlertingOptions> options, IncidentMetrics metrics, TimeProvider time,
    ILogger<AlertmanagerSink> logger, IncidentPublisher? incidents = null) : BackgroundService
{
    private readonly AlertmanagerOptions settings = options.Value.Alertmanager;
    private readonly ConcurrentQueue<IncidentSnapshot> resolved = new();
    private readonly ConcurrentDictionary<string, string> featureLabels = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim changed = new(0);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Url.Length == 0 || incidents is null)
        {
            return;
        }

        incidents.Published += OnPublished;
        using var http = new HttpClient { BaseAddress = new Uri(settings.Url.TrimEnd('/') + "/"), Timeout = settings.Timeout };
        var pending = new List<IncidentSnapshot>();
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        bool failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            while (resolved.TryDequeue(out IncidentSnapshot? done))
            {
                pending.Add(done);
            }

            List<IncidentSnapshot> batch = [.. incidents.Active, .. pending];
            if (batch.Count > 0)
            {
                bool ok = await PostAsync(http, batch, stoppingToken);
                metrics.AlertmanagerPost(ok);
                if (ok)
                {
                    foreach (IncidentSnapshot done in pending)
                    {
                        featureLabels.TryRemove(done.Id, out _);
                    }

                    pending.Clear();
                    if (failing)
                    {
                        Log.AlertmanagerRecovered(logger, settings.Url);
                    }

                    (failing, backoff) = (false, TimeSpan.FromSeconds(1));
                }
                else
                {
                    failing = true;
                    await Wait(backoff, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
                    continue;
                }
            }

            await Wait(settings.ResendInterval, stoppingToken, changed);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (incidents is not null)
        {
            incidents.Published -= OnPublished;
        }

        changed.Dispose();
        base.Dispose();
    }

    private void OnPublished(IncidentSnapshot incident)
    {
        if (incident.State == IncidentState.Update)
        {
            return;
        }

        if (incident.State == IncidentState.Resolved)
        {
            resolved.Enqueue(incident);
        }

        changed.Release();
    }

    private async Task<bool> PostAsync(HttpClient http, List<IncidentSnapshot> batch, CancellationToken cancellationToken)
    {
        byte[] body = AlertmanagerAlerts.Write(batch, time.GetUtcNow(), i => featureLabels.GetOrAdd(i.Id, _ => i.Features.FirstOrDefault()?.Feature ?? ""));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using HttpResponseMessage response = await http.PostAsync("api/v2/alerts", content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            Log.AlertmanagerRefused(logger, settings.Url, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.AlertmanagerUnreachable(logger, settings.Url, e.Message);
        }

        return false;
    }

    private async Task Wait(TimeSpan delay, CancellationToken cancellationToken, SemaphoreSlim? wake = null)
    {
        try
        {
            if (wake is null)
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            else
            {
                await wake.WaitAsync(delay, cancellationToken);
                while (wake.CurrentCount > 0 && wake.Wait(0))
                {
                    // Several changes at once make one post.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(301, LogLevel.Warning, "Alertmanager at {Url} unreachable: {Reason}; incidents are re-sent with backoff (the incident topic has them meanwhile)")]
        public static partial void AlertmanagerUnreachable(ILogger logger, string url, string reason);

        [LoggerMessage(302, LogLevel.Warning, "Alertmanager at {Url} refused the alerts: HTTP {Status} {Body}")]
        public static partial void AlertmanagerRefused(ILogger logger, string url, int status, string body);

        [LoggerMessage(303, LogLevel.Information, "Alertmanager at {Url} reachable again")]
        public static partial void AlertmanagerRecovered(ILogger logger, string url);
    }
}
