using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeStream.Kafka.Configuration;
using VaeStream.Kafka.Consuming;
using VaeStream.Kafka.Producing;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Hosting;

/// <summary>
/// Runs the worker: consume thread → bounded channel → scoring loop → producer. Shutdown follows the delivery
/// contract: stop polling, let the pipeline drain the channel, flush the producer so every output is acknowledged,
/// then the consume thread stores the final offsets, commits and closes the consumer.
/// </summary>
internal sealed class WorkerService(IOptions<KafkaOptions> kafka, IOptions<PipelineOptions> pipeline, FeatureSchema schema,
    DetectorProfile modelProfile, ScoringLoop scoring, OutputPublisher publisher, WorkerMetrics metrics, ConsumerStatus consumerStatus, ILoggerFactory loggers,
    IncidentPublisher? incidents = null) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        KafkaOptions k = kafka.Value;
        PipelineOptions p = pipeline.Value;
        Log.Started(loggers.CreateLogger<WorkerService>(), k.GroupId, string.Join(",", k.InputTopics), schema.ComputeHash(),
            schema.FeatureCount, modelProfile.Name, p.MaxBatchSize, p.MaxBatchDelay.TotalMilliseconds);
        var channel = Channel.CreateBounded<InputEvent>(new BoundedChannelOptions(p.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        });

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        metrics.Watch(consumerStatus, () => channel.Reader.Count + scoring.Waiting, () => publisher.ClientErrors);
        metrics.KnownTopics(k.InputTopics.Where(t => !t.StartsWith('^')));
        publisher.Delivered += (source, report) =>
        {
            if (report.Topic == k.AnomalyTopic)
            {
                metrics.AnomalyAcknowledged(source.Timestamp.UtcDateTime);
            }
        };
        if (incidents is not null)
        {
            // Before the first event: a restarted worker continues the incidents that were open instead of reopening them.
            List<IncidentSnapshot> open = CompactedTopicReader.ReadLatest(k, k.IncidentTopic, TimeSpan.FromSeconds(60)).Values
                .Select(IncidentMessages.Read).OfType<IncidentSnapshot>().Where(i => i.State != IncidentState.Resolved).ToList();
            incidents.Recover(open);
            Log.IncidentsRecovered(loggers.CreateLogger<WorkerService>(), open.Count, k.IncidentTopic);
            incidents.Start();
        }

        var consumeLoop = new ConsumeLoop(k, channel.Writer, loggers.CreateLogger<ConsumeLoop>(), consumerStatus);
        consumeLoop.Start(drained.Task);
        using CancellationTokenRegistration stop = stoppingToken.Register(consumeLoop.StopPolling);
        try
        {
            Task scoringTask = StartScoringThread(channel.Reader, stoppingToken);
            Task first = await Task.WhenAny(scoringTask, publisher.Fault, consumeLoop.Completion);
            if (first != scoringTask)
            {
                // A fatal producer or consumer error: stop reading; unacknowledged events keep their offsets unstored.
                consumeLoop.StopPolling();
                await first;
            }

            await scoringTask;
            publisher.Flush(ShutdownBudget.Flush);
        }
        finally
        {
            drained.TrySetResult();
            await consumeLoop.Completion.WaitAsync(ShutdownBudget.Close, CancellationToken.None).ConfigureAwait(false);
            consumeLoop.Dispose();
        }
    }

    // Scoring is synchronous and CPU-bound: a thread of its own, so it never holds a pool thread that timers, the
    // producer's callbacks and the HTTP endpoints need (on 2 cores the pool starts with 2).
    private Task StartScoringThread(ChannelReader<InputEvent> input, CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                scoring.Run(input, stopping);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { Name = "vaestream-scoring", IsBackground = true };
        thread.Start();
        return done.Task;
    }
}
