using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace VaeStream.Worker.Operations;

/// <summary>
/// The operations endpoints on Kestrel: <c>/metrics</c> (prometheus-net's exporter over the worker's own registry),
/// <c>/healthz</c> (checks tagged live) and <c>/readyz</c> (checks tagged ready), each answering in plain text with
/// the reason a person reads, 200 when healthy and 503 when not.
/// </summary>
internal static class OperationsEndpoints
{
    /// <summary>Registers the checks; <see cref="MapOperations"/> serves them.</summary>
    public static IServiceCollection AddOperationsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<LivenessCheck>("pipeline-progress", tags: [LivenessCheck.Tag])
            .AddCheck<ReadinessCheck>("model-and-partitions", tags: [ReadinessCheck.Tag]);
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints)
    {
        WorkerMetrics metrics = endpoints.ServiceProvider.GetRequiredService<WorkerMetrics>();
        endpoints.MapMetrics("/metrics", metrics.Registry);
        endpoints.MapHealthChecks("/healthz", Tagged(LivenessCheck.Tag));
        endpoints.MapHealthChecks("/readyz", Tagged(ReadinessCheck.Tag));
        endpoints.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("not found: try /metrics, /healthz or /readyz\n");
        });
        return endpoints;
    }

    private static HealthCheckOptions Tagged(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = WriteReasons,
    };

    // The default writer says only "Healthy" or "Unhealthy"; an on-call engineer needs the why.
    private static Task WriteReasons(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        IEnumerable<string> reasons = report.Entries.Values.Select(e => e.Description ?? e.Status.ToString());
        return context.Response.WriteAsync(string.Join('\n', reasons) + "\n");
    }
}
