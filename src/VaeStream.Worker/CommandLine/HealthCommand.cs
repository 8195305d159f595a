using System.CommandLine;

namespace VaeStream.Worker.CommandLine;

/// <summary>
/// <c>health</c>: asks a running worker's liveness endpoint and exits 0 when it answers 200. The container
/// HEALTHCHECK uses it because the .NET runtime image has no curl or wget.
/// </summary>
public static class HealthCommand
{
    /// <summary>The command, for a command tree.</summary>
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Endpoint to ask.", DefaultValueFactory = _ => "http://127.0.0.1:8080/healthz" };
        var command = new Command("health", "Check a running worker: exit 0 when its /healthz answers 200, 1 otherwise.") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string endpoint = parse.GetValue(url)!;
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--url must be an absolute http(s) URL, not '{endpoint}'.");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using HttpResponseMessage response = await http.GetAsync(uri, cancellationToken);
                Console.WriteLine($"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync(cancellationToken)).Trim()}");
                return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Exit code 1 with the reason on standard error, through the command line's error handling.
                throw new InvalidOperationException($"unhealthy: {endpoint} did not answer: {e.Message}", e);
            }
        });
        return command;
    }
}
