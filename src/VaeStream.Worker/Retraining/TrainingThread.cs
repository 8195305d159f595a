using System.Collections.Concurrent;

namespace VaeStream.Worker.Retraining;

/// <summary>
/// The one thread every retrain of this process runs on, at the lowest CPU priority. One long-lived thread, not a
/// fresh one per retrain: glibc gives each new thread that allocates its own malloc arena, and libtorch's freed
/// training buffers stay cached in them, so a thread per retrain grew RSS from 0.4 to 2.1 GB over 45 retrains.
/// </summary>
internal sealed class TrainingThread : IDisposable
{
    private readonly BlockingCollection<Action> jobs = [];
    private readonly Thread thread;

    public TrainingThread()
    {
        thread = new Thread(Run) { Name = "vaestream-training", IsBackground = true };
        thread.Start();
    }

    /// <summary>Queues <paramref name="job"/>; the task completes with its result, or its exception.</summary>
    public Task<T> Run<T>(Func<T> job)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        jobs.Add(() =>
        {
            try
            {
                done.SetResult(job());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public void Dispose()
    {
        jobs.CompleteAdding();
        thread.Join(TimeSpan.FromSeconds(10));
    }

    private void Run()
    {
        // Training is background work: at nice 19 the scheduler gives the core to scoring, consuming and producing
        // whenever they want it, which keeps scoring pauses short on 2 cores (measured in the retraining test).
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        BackgroundPriority.LowerCurrentThread();
        foreach (Action job in jobs.GetConsumingEnumerable())
        {
            job();
        }

        jobs.Dispose();
    }
}
