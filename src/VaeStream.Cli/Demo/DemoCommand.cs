using System.CommandLine;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Demo;

/// <summary><c>vaestream demo</c>: the whole pipeline on an in-process broker, with a report at the end.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Valid events to generate.", DefaultValueFactory = _ => 60_000 };
        var rate = new Option<double>("--rate") { Description = "Events per second offered.", DefaultValueFactory = _ => 6_000 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where report.md and timeline.png go.", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var command = new Command("demo", "Run the worker against an embedded Kafka-protocol broker fed with synthetic ops events.") { events, rate, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions(Events: parse.GetValue(events), Rate: parse.GetValue(rate), OutputDirectory: parse.GetValue(output)!.FullName);
            if (options.Events < 20_000 || options.Rate <= 0)
            {
                throw new ArgumentException("--events must be at least 20000 (10000 go to warm-up) and --rate positive.");
            }

            await DemoRunner.RunAsync(options, Console.Out, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
