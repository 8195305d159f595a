using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using VaeStream.Kafka.Producing;
using VaeStream.Kafka.Testing;
using VaeStream.Simulation;
using VaeStream.Worker.Hosting;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Operations;
using VaeStream.Worker.Pipeline;

namespace VaeStream.Cli.Demo;

/// <summary>Demo settings.</summary>
/// <param name="Events">Valid events to generate.</param>
/// <param name="Hosts">Simulated hosts.</param>
/// <param name="Rate">Events per second offered.</param>
/// <param name="AnomalyRate">Share of events inside injected anomaly segments.</param>
/// <param name="MalformedEvery">One malformed event after every N valid ones.</param>
/// <param name="OutputDirectory">Where report.md, timeline.png and the checkpoints go.</param>
/// <param name="RetrainEveryEvents">Scored events between scheduled retrains.</param>
internal sealed record DemoOptions(int Events = 60_000, int Hosts = 20, double Rate = 6_000, double AnomalyRate = 0.01,
    int MalformedEvery = 200, string OutputDirectory = "out/demo", int RetrainEveryEvents = 15_000);

/// <summary>
/// The embedded demo: librdkafka's mock cluster in-process, a paced generator of ops events with injected anomalies
/// and malformed payloads, and the real worker host reading from it, shown live; then a report with the figures
/// against the injected truth.
/// </summary>
internal static class DemoRunner
{
    private const string Input = "events";
    private const string AnomalyTopic = "anomalies";
    private const string DeadLetterTopic = "events.dead-letter";
    private const string IncidentTopic = "incidents";

    /// <summary>Runs the demo; returns the figures.</summary>
    public static async Task<DemoResult> RunAsync(DemoOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string checkpoints = Path.Combine(options.OutputDirectory, "checkpoints");
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic(Input, 4);
        cluster.CreateTopic(AnomalyTopic, 1);
        cluster.CreateTopic(DeadLetterTopic, 1);
        cluster.CreateTopic(IncidentTopic, 1);
        await output.WriteLineAsync($"Mock Kafka cluster at {cluster.BootstrapServers}; {options.Events} events from {options.Hosts} hosts at {options.Rate:F0}/s.");

        var recorder = new DemoRecorder();
        using IHost host = WorkerHost.Build(overrides: Settings(cluster.BootstrapServers, checkpoints, options),
            configure: services => services.AddSingleton<IScoreObserver>(recorder), minimumLevel: LogLevel.Warning);
        host.Services.GetRequiredService<OutputPublisher>().Delivered += (source, report) => recorder.Delivered(source, report.Topic, AnomalyTopic);
        WorkerMetrics metrics = host.Services.GetRequiredService<WorkerMetrics>();
        if (host.Services.GetService<IncidentPublisher>() is { } incidentPublisher)
        {
            incidentPublisher.Published += recorder.Incident;
        }

        await host.StartAsync(cancellationToken);

        // Injected faults last 5 to 25 minutes of a host, as incidents in operations do: what the incident figures are about.
        var feed = new EventFeed(cluster.BootstrapServers, Input, new OpsEventGenerator(options.Hosts, options.AnomalyRate, seed: 2026, segmentLength: (5, 25)));
        Task feeding = feed.RunAsync(options.Events, options.Rate, options.MalformedEvery, cancellationToken);
        int total = options.Events + (options.MalformedEvery > 0 ? options.Events / options.MalformedEvery : 0);
        CancellationToken hostStopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await ShowProgress(output, feed, metrics, total, feeding, hostStopping, cancellationToken);
        await host.StopAsync(CancellationToken.None);
        if (hostStopping.IsCancellationRequested && metrics.Scored + metrics.DeadLettered < feed.Produced)
        {
            throw new InvalidOperationException("The worker stopped before it had processed every event; its log above says why.");
        }

        await feeding;

        DemoResult result = DemoReport.Evaluate(feed, recorder, metrics, clock.Elapsed);
        string[] features = [.. host.Services.GetRequiredService<VaeStream.Model.Features.FeatureSchema>().FeatureNames];
        List<(string Feature, double MedianGap, double Spread)> accuracy = DemoReport.ExpectedAccuracy(recorder, features);
        DemoIncidentFigures incidents = DemoIncidents.Evaluate(recorder, feed);
        string report = DemoReport.Write(options.OutputDirectory, result, recorder, feed, metrics, checkpoints, accuracy, incidents);
        await output.WriteLineAsync($"Scored {result.Scored} events, published {result.Flagged} anomalies, dead-lettered {result.DeadLettered}; " +
            $"precision {result.Detection.Precision:F3}, recall {result.Detection.Recall:F3}, false alarms {result.FalseAlarms} of {result.NormalEvents} normal events; " +
            $"latency p50 {result.LatencyP50Ms:F1} ms, p99 {result.LatencyP99Ms:F1} ms.");
        await output.WriteLineAsync("Expected values of unflagged events, median |value − expected| ÷ the feature's spread: " +
            string.Join(", ", accuracy.Select(a => FormattableString.Invariant($"{a.Feature} {a.MedianGap / a.Spread:F2}"))));
        await output.WriteLineAsync(FormattableString.Invariant($"Incidents: {incidents.Incidents} opened for {result.Flagged} anomaly messages; incident precision {incidents.Detection.Precision:F3}, segment recall {incidents.Detection.SegmentRecall:F3}, median time to detect {incidents.Detection.MedianTimeToDetect:F0} min."));
        await output.WriteLineAsync($"Report: {report}");
        return result;
    }

    private static Dictionary<string, string?> Settings(string bootstrap, string checkpoints, DemoOptions options) => new()
    {
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Kafka:GroupId"] = "vaestream-demo",
        ["Kafka:InputTopics:0"] = Input,
        ["Kafka:AnomalyTopic"] = AnomalyTopic,
        ["Kafka:DeadLetterTopic"] = DeadLetterTopic,
        ["Kafka:IncidentTopic"] = IncidentTopic,
        ["Checkpoints:Directory"] = checkpoints,
        ["Checkpoints:Keep"] = "100",
        ["Retraining:WarmupEvents"] = "10000",
        ["Retraining:WindowSize"] = "20000",
        ["Retraining:RetrainEveryEvents"] = options.RetrainEveryEvents.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Everything produced has been scored or dead-lettered, and the producer of the feed is done.
    private static async Task ShowProgress(TextWriter output, EventFeed feed, WorkerMetrics metrics, int total, Task feeding,
        CancellationToken hostStopping, CancellationToken cancellationToken)
    {
        bool Done() => hostStopping.IsCancellationRequested || (feeding.IsCompleted && metrics.Scored + metrics.DeadLettered >= feed.Produced);
        DateTime deadline = DateTime.UtcNow.AddSeconds(100);
        if (Console.IsOutputRedirected || output != Console.Out)
        {
            while (!Done() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(2000, cancellationToken);
                await output.WriteLineAsync(Describe(feed, metrics, total));
            }

            return;
        }

        await AnsiConsole.Live(new Markup("")).StartAsync(async context =>
        {
            while (!Done() && DateTime.UtcNow < deadline)
            {
                context.UpdateTarget(Table(feed, metrics, total));
                await Task.Delay(250, cancellationToken);
            }

            context.UpdateTarget(Table(feed, metrics, total));
        });
    }

    private static string Describe(EventFeed feed, WorkerMetrics m, int total) =>
        $"produced {feed.Produced}/{total} scored {m.Scored} flagged {m.Flagged} dead-lettered {m.DeadLettered} model v{m.ModelVersion} retrains {m.Retrains}";

    private static Table Table(EventFeed feed, WorkerMetrics m, int total)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("VaeStream demo").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("produced", $"{feed.Produced:N0} / {total:N0}");
        table.AddRow("scored", $"{m.Scored:N0}");
        table.AddRow("anomalies published", $"[red]{m.Flagged:N0}[/]");
        table.AddRow("dead letters", $"[yellow]{m.DeadLettered:N0}[/]");
        table.AddRow("model version", m.ModelVersion == 0 ? "[grey]warming up[/]" : $"v{m.ModelVersion}");
        table.AddRow("retrains (rejected)", $"{m.Retrains} ({m.RejectedRetrains})");
        return table;
    }
}
