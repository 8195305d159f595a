using System.CommandLine;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli.Demo;

/// <summary><c>vaestream demo</c>: the whole pipeline on an in-process broker, with a report at the end.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var eventsOption = new Option<int>("--events") { Description = "Valid events to generate.", DefaultValueFactory = _ => 60_000 };
        var rate = new Option<double>("--rate") { Description = "Events per second offered.", DefaultValueFactory = _ => 6_000 };
        var anomalyRate = new Option<double>("--anomaly-rate") { Description = "Share of events inside injected anomalies; 0 for a stream with none, where every flag is a false alarm.", DefaultValueFactory = _ => 0.01 };
        var retrainEvery = new Option<int>("--retrain-every") { Description = "Scored events between scheduled retrains. Default: a quarter of --events." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where report.md and timeline.png go.", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var command = new Command("demo", "Run the worker against an embedded Kafka-protocol broker fed with synthetic ops events.") { eventsOption, rate, anomalyRate, retrainEvery, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int events = parse.GetValue(eventsOption);
            var options = new DemoOptions(Events: events, Rate: parse.GetValue(rate), AnomalyRate: parse.GetValue(anomalyRate),
                RetrainEveryEvents: parse.GetValue(retrainEvery) is > 0 and int every ? every : events / 4, OutputDirectory: parse.GetValue(output)!.FullName);
            if (options.Events < 20_000 || options.Rate <= 0)
            {
                throw new ArgumentException($"--events must be at least 20000 (10000 go to warm-up) and --rate positive; got {options.Events} and {options.Rate}.");
            }

            if (options.AnomalyRate is < 0 or > 0.2)
            {
                throw new ArgumentException($"--anomaly-rate must be within 0..0.2; got {options.AnomalyRate}.");
            }

            if (parse.GetValue(retrainEvery) < 0)
            {
                throw new ArgumentException($"--retrain-every must be positive; got {parse.GetValue(retrainEvery)}.");
            }

            await DemoRunner.RunAsync(options, Console.Out, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
