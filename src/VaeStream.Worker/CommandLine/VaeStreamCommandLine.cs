using System.CommandLine;
using VaeStream.Kafka.Connectivity;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Features;
using VaeStream.Worker.Configuration;

namespace VaeStream.Worker.CommandLine;

/// <summary>
/// A command tree and the mapping of its failures to exit codes. The worker's executable has <c>run</c> and
/// <c>health</c>; the <c>vaestream</c> tool (VaeStream.Cli) puts the offline commands around the same two, so both
/// report errors and exit codes alike.
/// </summary>
public sealed class VaeStreamCommandLine
{
    // The vaestream tool's commands, which the worker's image leaves out on purpose (no plotting, generator or mock
    // broker in it): someone who types one at the worker is told where it lives instead of only that it is unknown.
    private static readonly string[] ToolCommands = ["demo", "train", "score", "evaluate", "generate", "dev-broker"];

    private readonly RootCommand root;
    private readonly string name;

    /// <summary>A tree of <paramref name="commands"/> for the executable the user types as <paramref name="name"/>.</summary>
    public VaeStreamCommandLine(string name, string description, params IEnumerable<Command> commands)
    {
        this.name = name;
        root = new RootCommand(description);
        foreach (Command command in commands)
        {
            root.Subcommands.Add(command);
        }
    }

    /// <summary>The worker's command line: what its container runs (<c>run</c>) and asks (<c>health</c>).</summary>
    public static VaeStreamCommandLine Worker() =>
        new("vaestream-worker", "VaeStream worker: streaming anomaly detection on Kafka with a variational autoencoder.",
            RunCommand.Create(), HealthCommand.Create());

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code, with any error as one line on <paramref name="error"/>.</summary>
    public async Task<int> InvokeAsync(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            if (args.Length > 0 && ToolCommands.Contains(args[0]) && !root.Subcommands.Any(c => c.Name == args[0]))
            {
                await error.WriteLineAsync(
                    $"'{args[0]}' is a command of the vaestream tool, not of {name}: dotnet run --project src/VaeStream.Cli -- {args[0]}");
            }

            await error.WriteLineAsync($"Run '{name} --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ConfigurationException e)
        {
            string[] lines = e.Message.Split(Environment.NewLine);
            await error.WriteLineAsync(lines.Length == 1
                ? $"error: invalid configuration: {lines[0]}"
                : $"error: invalid configuration:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => "  - " + l))}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled.");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    // Anything the user can fix by changing a file or an argument is exit code 2.
    private static bool IsBadInput(Exception e) => e is SchemaException or FeatureExtractionException or CheckpointException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or FormatException or BrokerUnreachableException;
}
