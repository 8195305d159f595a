using System.CommandLine;
using VaeStream.Kafka.Connectivity;
using VaeStream.Model.Checkpoints;
using VaeStream.Worker.Configuration;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Cli;

/// <summary>The <c>vaestream</c> command tree and the mapping of failures to exit codes.</summary>
internal sealed class VaeStreamCommandLine(RootCommand root)
{
    public static VaeStreamCommandLine Build()
    {
        var root = new RootCommand("VaeStream: streaming anomaly detection with a variational autoencoder.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DevBrokerCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        return new VaeStreamCommandLine(root);
    }

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

            await error.WriteLineAsync("Run 'vaestream --help' for usage.");
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
