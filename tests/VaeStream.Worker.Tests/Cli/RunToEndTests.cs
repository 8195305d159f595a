using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VaeStream.Worker.CommandLine;

namespace VaeStream.Worker.Tests.Cli;

/// <summary>How <c>run</c> turns the end of a real Generic Host into an exit code.</summary>
public sealed class RunToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_stop_requested_while_the_host_starts_exits_with_0_and_says_so()
    {
        var starting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new IdleWorker();
        IHost host = Build(worker, new SlowToStart(starting));
        var error = new StringWriter();

        Task<int> run = RunCommand.RunToEndAsync(host, worker, error, CancellationToken.None);
        await starting.Task.WaitAsync(Patience);
        // What the host's own SIGTERM handler does.
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Patience));
        Assert.Equal("stopped on request (SIGTERM or Ctrl-C) while starting.", error.ToString().Trim());
    }

    [Fact]
    public async Task A_stop_requested_after_the_start_exits_with_0_silently()
    {
        var worker = new IdleWorker();
        IHost host = Build(worker);
        var error = new StringWriter();

        Task<int> run = RunCommand.RunToEndAsync(host, worker, error, CancellationToken.None);
        await worker.Running.Task.WaitAsync(Patience);
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Patience));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task A_worker_that_fails_exits_with_1_naming_the_failure_even_though_the_host_stops_itself()
    {
        var worker = new FailingWorker();
        IHost host = Build(worker);
        var error = new StringWriter();

        int code = await RunCommand.RunToEndAsync(host, worker, error, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("error: the worker stopped: the broker fenced this producer", error.ToString().Trim());
    }

    private static IHost Build(BackgroundService worker, SlowToStart? after = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHostedService(_ => worker);
        if (after is not null)
        {
            builder.Services.AddHostedService(_ => after);
        }

        return builder.Build();
    }

    private sealed class IdleWorker : BackgroundService
    {
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Running.SetResult();
            return Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private sealed class FailingWorker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the broker fenced this producer");
        }
    }

    // Starts until its start is cancelled, as the metrics endpoint's bind does when a stop comes during it.
    private sealed class SlowToStart(TaskCompletionSource starting) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            starting.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
