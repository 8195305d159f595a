using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VaeStream.Worker.Operations;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format), <c>/healthz</c> and <c>/readyz</c> over HTTP. Built on
/// <see cref="HttpListener"/>, so the worker needs neither ASP.NET Core nor its runtime image.
/// </summary>
public sealed class OperationsEndpoint(IOptions<OperationsOptions> options, WorkerMetrics metrics, ILogger<OperationsEndpoint> logger)
    : BackgroundService
{
    private readonly HealthChecks health = new(metrics, options.Value.StallTimeout);

    /// <summary>The URL prefix served, e.g. <c>http://*:8080/</c>.</summary>
    public string Prefix { get; } = $"http://{options.Value.Address}:{options.Value.Port}/";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add(Prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            // The pipeline matters more than its dashboard: keep running, and say why there are no metrics.
            Log.OperationsEndpointFailed(logger, Prefix, e.Message);
            return;
        }

        Log.OperationsEndpointListening(logger, Prefix);
        using CancellationTokenRegistration stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                break;
            }

            _ = Task.Run(() => RespondAsync(context, stoppingToken), CancellationToken.None);
        }
    }

    private async Task RespondAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        HttpListenerResponse response = context.Response;
        try
        {
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await metrics.Registry.CollectAndExportAsTextAsync(response.OutputStream, cancellationToken);
                    break;
                case "/healthz":
                    await WriteAsync(response, health.Liveness());
                    break;
                case "/readyz":
                    await WriteAsync(response, health.Readiness());
                    break;
                default:
                    response.StatusCode = (int)HttpStatusCode.NotFound;
                    await WriteAsync(response, new HealthVerdict(false, "not found: try /metrics, /healthz or /readyz"), statusFromVerdict: false);
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException)
        {
            // The client went away or the worker is stopping; nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, HealthVerdict verdict, bool statusFromVerdict = true)
    {
        if (statusFromVerdict)
        {
            response.StatusCode = verdict.Healthy ? (int)HttpStatusCode.OK : (int)HttpStatusCode.ServiceUnavailable;
        }

        response.ContentType = "text/plain; charset=utf-8";
        byte[] body = Encoding.UTF8.GetBytes(verdict.Reason + "\n");
        await response.OutputStream.WriteAsync(body);
    }
}
