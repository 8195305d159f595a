using System.Globalization;
using VaeStream.Simulation;
using VaeStream.Worker.Tests.Integration.Brokers;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// A 100,000-event stream; the worker, a child process, is SIGKILLed during warm-up training, during scoring and
/// during a retrain, and restarted after each kill. Every scored offset is journaled per run, so the test knows what
/// was processed, when, and how often. With <paramref name="aggregated"/>, the worker reads the same events through
/// an aggregated schema (10-minute intervals of each host's per-minute events): an offset counts as processed when the
/// interval holding it is scored, and warm-up and retraining count rows.
/// </summary>
internal sealed class CrashSafetyScenario(KafkaTestBroker broker, string workDirectory, ITestOutputHelper output, bool aggregated = false)
{
    private const int Events = 100_000;
    private static readonly TimeSpan StageTimeout = TimeSpan.FromSeconds(120);

    public async Task RunAsync()
    {
        // 8 partitions keep each partition's log under the 5 MB the mock cluster retains per partition.
        TestTopics topics = broker.CreateTopics("crash", partitions: 8);
        // Spikes and level shifts only, so "every injected anomaly is published" is a property of the pipeline,
        // not of the model's recall on subtle kinds.
        var generator = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 31, kinds: [AnomalyKind.Spike, AnomalyKind.LevelShift]);
        List<GeneratedEvent> events = generator.Generate(Events).ToList();
        // An aggregated schema's intervals are per host in read order, so each host's events share a partition.
        broker.ProduceAll(topics.Input, events.Select(e => (aggregated ? e.Key[..e.Key.IndexOf(':')] : e.Key, e.Value)));
        string settings = WriteSettings(topics);
        var runs = new List<Run>();
        try
        {
            await RunAll(runs, settings, topics);
        }
        finally
        {
            runs.ForEach(r => r.Child.Dispose());
        }

        CheckEveryOffsetProcessed(runs, broker.Progress(topics));
        CheckDuplicatesStayInTheUncommittedWindow(runs);
        if (!aggregated)
        {
            // An interval's anomaly is keyed by its host, not by an event: the per-event run checks the outputs.
            CheckEveryAnomalyPublished(events, topics);
        }
    }

    private async Task RunAll(List<Run> runs, string settings, TestTopics topics)
    {
        await RunUntil(runs, settings, topics, "warm-up", child => child.Logged("training the first model"));
        await RunUntil(runs, settings, topics, "scoring", _ => runs[^1].Processed().Count >= 30_000);
        await RunUntil(runs, settings, topics, "retrain", child => child.Logged("Retrain to version"));
        Run last = Start(runs, settings, topics, "to the end");
        bool done = await Wait.UntilAsync(() => broker.Progress(topics).All(p => p.Committed == p.End), StageTimeout);
        Assert.True(done, $"committed offsets did not reach the end: {Describe(broker.Progress(topics))}\n{last.Child.Log()}");
        Assert.Equal(0, last.Child.Terminate(TimeSpan.FromSeconds(60)));
    }

    private async Task RunUntil(List<Run> runs, string settings, TestTopics topics, string stage, Func<ChildWorker, bool> killPoint)
    {
        Run run = Start(runs, settings, topics, stage);
        bool reached = await Wait.UntilAsync(() => killPoint(run.Child) || run.Child.HasExited, StageTimeout);
        Assert.True(reached && !run.Child.HasExited, $"kill point '{stage}' not reached (exited: {run.Child.HasExited}):\n{run.Child.Log()}");
        run.Child.Kill();
        output.WriteLine($"killed during {stage}: {run.Processed().Count} events scored in this run");
    }

    private Run Start(List<Run> runs, string settings, TestTopics topics, string stage)
    {
        // The committed offsets when a run starts are where it resumes: nothing below them may be processed again.
        Dictionary<int, long> committed = broker.Progress(topics).ToDictionary(p => p.Partition, p => p.Committed);
        string journal = Path.Combine(workDirectory, $"journal-{runs.Count}.txt");
        var run = new Run(stage, new ChildWorker(settings, journal), journal, committed);
        runs.Add(run);
        return run;
    }

    private void CheckEveryOffsetProcessed(List<Run> runs, List<(int Partition, long Committed, long End)> progress)
    {
        var processed = runs.SelectMany(r => r.Processed()).ToHashSet();
        foreach ((int partition, _, long end) in progress)
        {
            long missing = Enumerable.Range(0, (int)end).LongCount(offset => !processed.Contains((partition, offset)));
            Assert.True(missing == 0, $"partition {partition}: {missing} of {end} offsets never processed");
        }

        Assert.Equal(Events, progress.Sum(p => p.End));
    }

    // A restarted worker resumes at the committed offsets, so it may repeat only what the killed one had processed
    // at or above them: the uncommitted window at the kill.
    private void CheckDuplicatesStayInTheUncommittedWindow(List<Run> runs)
    {
        var seen = new HashSet<(int Partition, long Offset)>();
        long duplicates = 0, windows = 0;
        foreach (Run run in runs)
        {
            windows += seen.LongCount(e => e.Offset >= run.CommittedAtStart.GetValueOrDefault(e.Partition, -1));
            List<(int Partition, long Offset)> processed = run.Processed();
            Assert.True(processed.Distinct().Count() == processed.Count, $"run '{run.Stage}' processed an offset twice");
            foreach ((int partition, long offset) in processed)
            {
                long resumedAt = run.CommittedAtStart.GetValueOrDefault(partition, -1);
                Assert.True(offset >= resumedAt, $"run '{run.Stage}' reprocessed partition {partition} @{offset}, below the committed offset {resumedAt}");
                duplicates += seen.Add((partition, offset)) ? 0 : 1;
            }
        }

        output.WriteLine($"{duplicates} duplicate scorings; uncommitted windows at the kills held {windows} events");
        Assert.InRange(duplicates, 0, windows);
    }

    private void CheckEveryAnomalyPublished(List<GeneratedEvent> events, TestTopics topics)
    {
        HashSet<string> injected = events.Where(e => e.IsAnomaly).Select(e => e.Key).ToHashSet();
        HashSet<string> published = broker.ReadToEnd(topics.Anomalies, TimeSpan.FromSeconds(30)).Select(r => r.Message.Key!).ToHashSet();
        List<string> missing = injected.Where(key => !published.Contains(key)).ToList();
        output.WriteLine($"{injected.Count} injected anomalies, {published.Count} distinct keys published");
        Assert.True(injected.Count > 500, $"{injected.Count} injected anomalies");
        Assert.True(missing.Count == 0, $"{missing.Count} injected anomalies never published, e.g. {string.Join(", ", missing.Take(5))}");
    }

    // Sizes in rows: events per-event, 10-event intervals aggregated, so both train on a twentieth of the stream.
    private string WriteSettings(TestTopics topics)
    {
        WorkerSettingsBuilder settings = ChildWorker.Settings(broker, topics)
            .Set("Retraining:WarmupEvents", aggregated ? 500 : 5_000)
            .Set("Retraining:WindowSize", aggregated ? 2_000 : 20_000)
            .Set("Retraining:RetrainEveryEvents", aggregated ? 2_000 : 20_000)
            .Set("Retraining:RetrainInterval", TimeSpan.Zero)
            .Set("Retraining:ModelSettingsPath", WriteModelSettings())
            .Checkpoints(Path.Combine(workDirectory, "checkpoints"))
            .OperationsOff();
        if (aggregated)
        {
            settings.Set("Features:SchemaPath", WriteAggregatedSchema());
        }

        return settings.WriteJson(Path.Combine(workDirectory, "settings.json"));
    }

    // The detector this test runs is pinned to the settings it was proven with: plain squared error, β = 4, POT risk
    // 3e-3, whose recall on spikes and level shifts of this generator is 1.0 at every training size measured, so that
    // "every injected anomaly is published" says whether the pipeline lost one across the kills, and not how the
    // shipped settings trade recall for quiet. With the shipped weighted score (β = 2 then) 78-162 of the ~1,000 anomalies,
    // learned during warm-up, were not flagged at all, and at the shipped risk of 1e-3 one weak spike was not.
    private string WriteModelSettings()
    {
        string path = Path.Combine(workDirectory, "model.json");
        // The shipped file's profile for the ops schemas (6-7 features), with the detector above.
        Model.Detection.DetectorOptions shipped = Model.Detection.DetectorSettings.Load(Hosting.VaeStreamHostingExtensions.ResolvePath("config/model.json")).For(7, 1).Options;
        File.WriteAllText(path, (shipped with
        {
            Scoring = shipped.Scoring with { Kind = Model.Scoring.ScoreKind.Mse },
            Training = shipped.Training with { Beta = 4.0 },
            Threshold = shipped.Threshold with { Risk = 3e-3 },
        }).ToJson());
        return path;
    }

    // The shipped ops-aggregated schema over 10 minutes, as the generator's events are a minute apart; a 2 s idle
    // timeout closes the last intervals soon after the backlog is read.
    private string WriteAggregatedSchema()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Hosting.VaeStreamHostingExtensions.ResolvePath("config/schemas/ops-aggregated.json")))!;
        schema["aggregation"]!["interval"] = "10m";
        schema["aggregation"]!["allowedLateness"] = "1m";
        schema["aggregation"]!["idleTimeout"] = "2s";
        string path = Path.Combine(workDirectory, "ops-aggregated.json");
        File.WriteAllText(path, schema.ToJsonString());
        return path;
    }

    private static string Describe(List<(int Partition, long Committed, long End)> progress) =>
        string.Join(", ", progress.Select(p => $"{p.Partition}: {p.Committed}/{p.End}"));

    private sealed record Run(string Stage, ChildWorker Child, string Journal, Dictionary<int, long> CommittedAtStart)
    {
        public List<(int Partition, long Offset)> Processed()
        {
            using var stream = new FileStream(Journal, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var entries = new List<(int, long)>();
            while (reader.ReadLine() is { } line)
            {
                string[] parts = line.Split(' ');
                // A line cut by the kill has no second field; its event was not stored, so it is not evidence.
                if (parts.Length == 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out long offset))
                {
                    entries.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), offset));
                }
            }

            return entries;
        }
    }
}
