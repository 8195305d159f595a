using Spectre.Console;
using VaeStream.Model.Training;

namespace VaeStream.Cli.Training;

/// <summary>
/// Shows training progress: a live bar with epoch, loss and ETA on a terminal, one plain line per epoch when the
/// output is redirected (CI logs, files), so nothing is lost in either place.
/// </summary>
internal sealed class TrainingProgressView(TextWriter output, string label) : IProgress<EpochResult>
{
    private readonly bool interactive = !Console.IsOutputRedirected && output == Console.Out;

    public T Run<T>(Func<IProgress<EpochResult>, T> work)
    {
        if (!interactive)
        {
            return work(this);
        }

        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(label, maxValue: 1);
                result = work(new Progress(task, label));
                task.Value = task.MaxValue;
            });
        return result;
    }

    public void Report(EpochResult value) => output.WriteLine(Describe(label, value));

    private static string Describe(string label, EpochResult e) =>
        $"{label}: epoch {e.Epoch}/{e.MaxEpochs} train loss {e.TrainLoss:F4} validation loss {e.ValidationLoss:F4} " +
        $"elapsed {e.Elapsed.TotalSeconds:F1}s ETA {EstimateRemaining(e).TotalSeconds:F0}s";

    private static TimeSpan EstimateRemaining(EpochResult e) => e.Elapsed / e.Epoch * (e.MaxEpochs - e.Epoch);

    // Progress<T> posts to the thread pool; this one updates Spectre's task directly, which is thread-safe.
    private sealed class Progress(ProgressTask task, string label) : IProgress<EpochResult>
    {
        public void Report(EpochResult value)
        {
            task.MaxValue = value.MaxEpochs;
            task.Value = value.Epoch;
            task.Description = Markup.Escape($"{label} epoch {value.Epoch} loss {value.TrainLoss:F3}/{value.ValidationLoss:F3}");
        }
    }
}
