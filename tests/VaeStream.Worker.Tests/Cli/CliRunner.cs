using VaeStream.Cli;

namespace VaeStream.Worker.Tests.Cli;

/// <summary>
/// Runs the real <c>vaestream</c> command tree in-process (the worker's <c>run</c> and <c>health</c> are among its
/// commands) and captures what it writes to standard error.
/// </summary>
internal static class CliRunner
{
    public static string SmdDirectory { get; } =
        Path.Combine(RepositoryRoot.SharedData, "SMD", "ServerMachineDataset");

    public static async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter();
        int code = await VaeStreamCli.Build().InvokeAsync(args, error);
        return (code, error.ToString());
    }
}
