using VaeStream.Cli.Demo;
using VaeStream.Cli.DevBroker;
using VaeStream.Cli.Evaluate;
using VaeStream.Cli.Generate;
using VaeStream.Cli.Scoring;
using VaeStream.Cli.Training;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Cli;

/// <summary>
/// The <c>vaestream</c> command tree: the offline and demo commands around the worker's own <c>run</c> and
/// <c>health</c>, so one command serves a laptop; the container runs the worker's executable, which has only those two.
/// </summary>
internal static class VaeStreamCli
{
    public static VaeStreamCommandLine Build() => new(
        "vaestream",
        "VaeStream: streaming anomaly detection with a variational autoencoder.",
        TrainCommand.Create(),
        ScoreCommand.Create(),
        EvaluateCommand.Create(),
        RunCommand.Create(),
        DemoCommand.Create(),
        DevBrokerCommand.Create(),
        GenerateCommand.Create(),
        HealthCommand.Create());
}
