using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace VaeStream.Worker.Operations;

/// <summary>
/// The server at <c>Operations:Enabled = false</c>: the host runs the worker as usual but opens no port. Kestrel
/// without endpoints would bind its default, localhost:5000, instead.
/// </summary>
internal sealed class NoListeningServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
