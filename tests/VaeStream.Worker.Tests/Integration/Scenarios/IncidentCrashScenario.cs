using VaeStream.Simulation;
using VaeStream.Worker.Incidents;
using VaeStream.Worker.Tests.Integration.Brokers;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.Scenarios;

/// <summary>
/// The worker, a child process, is SIGKILLed while incidents are open and restarted: it must continue them (same
/// ids) rather than open them again, and every incident must end resolved. Input is keyed by host, as the README
/// asks, so each host's events keep their order.
/// </summary>
internal sealed class IncidentCrashScenario(KafkaTestBroker broker, string workDirectory, ITestOutputHelper output)
{
    private static readonly TimeSpan StageTimeout = TimeSpan.FromSeconds(120);

    public async Task RunAsync()
    {
        TestTopics topics = broker.CreateTopics("incident-crash", partitions: 4);
        var generator = new OpsEventGenerator(hosts: 20, anomalyRate: 0.01, seed: 53, kinds: [AnomalyKind.Spike, AnomalyKind.LevelShift], segmentLength: (10, 30));
        string[] faulty = ["h01", "h02", "h03"];
        // Phase 1 ends inside a latency fault on three hosts; phase 2 goes on with it, then with normal traffic. The
        // faults are produced only once the first model is live: a single fetch can bring a whole partition, and on
        // a busy machine one did, so faults produced with the rest went into the warm-up and were learned as normal.
        broker.ProduceAll(topics.Input, ByHost(generator.Generate(20_000)));
        // The first worker never resolves on idle, so a slow poll on a busy machine cannot race the kill; the
        // second resolves what is left soon after the stream ends.
        string firstSettings = WriteSettings(topics, "settings-0.json", idleTimeout: TimeSpan.FromHours(1));
        string secondSettings = WriteSettings(topics, "settings-1.json", idleTimeout: TimeSpan.FromSeconds(30));

        List<IncidentSnapshot> openAtKill;
        using (var first = new ChildWorker(firstSettings, Path.Combine(workDirectory, "journal-0.txt")))
        {
            Assert.True(await Wait.UntilAsync(() => broker.Progress(topics).All(p => p.Committed == p.End) || first.HasExited, StageTimeout),
                $"the first worker did not read phase 1:\n{first.Log()}");
            Assert.True(first.Logged("Model version 1 trained"), first.Log());
            broker.ProduceAll(topics.Input, Faults(faulty, 0));
            Assert.True(await Wait.UntilAsync(() => broker.Progress(topics).All(p => p.Committed == p.End) || first.HasExited, StageTimeout),
                $"the first worker did not read the faults:\n{first.Log()}");
            Assert.True(await Wait.UntilAsync(() => faulty.All(h => OpenIncidents(topics).Any(i => i.Entity == h)), TimeSpan.FromSeconds(60)),
                $"the faults did not open an incident on each of {string.Join(", ", faulty)}; open: " +
                $"[{string.Join(", ", OpenIncidents(topics).Select(i => $"{i.Entity} {i.Id}"))}]; the worker {(first.HasExited ? "had exited" : "was running")}:\n{first.Log()}");
            first.Kill();
            openAtKill = OpenIncidents(topics);
            output.WriteLine($"killed with {openAtKill.Count} incidents open");
        }

        broker.ProduceAll(topics.Input, Faults(faulty, 5).Concat(ByHost(generator.Generate(20_000))));
        using (var second = new ChildWorker(secondSettings, Path.Combine(workDirectory, "journal-1.txt")))
        {
            Assert.True(await Wait.UntilAsync(() => broker.Progress(topics).All(p => p.Committed == p.End), StageTimeout),
                $"the restarted worker did not read to the end:\n{second.Log()}");
            // The stream has ended: what is still open resolves on the idle timeout.
            Assert.True(await Wait.UntilAsync(() => OpenIncidents(topics).Count == 0, TimeSpan.FromSeconds(90)),
                $"{OpenIncidents(topics).Count} incidents never resolved:\n{second.Log()}");
            Assert.True(second.Logged("open incidents read back"), second.Log());
            Assert.Equal(0, second.Terminate(TimeSpan.FromSeconds(60)));
        }

        List<IncidentSnapshot> messages = Messages(topics);
        output.WriteLine($"{messages.Select(m => m.Id).Distinct().Count()} incidents, {messages.Count} messages " +
            $"({string.Join(", ", messages.GroupBy(m => m.State).Select(g => $"{g.Key} {g.Count()}"))})");
        foreach (IGrouping<string, IncidentSnapshot> host in messages.GroupBy(m => m.Entity))
        {
            // Each incident's last message says resolved, and two incidents of one host never cover the same input records.
            var incidents = host.GroupBy(m => m.Id).Select(g => g.MaxBy(m => m.Sequence)!).OrderBy(m => m.FirstSource.Offset).ToList();
            Assert.All(incidents, i => Assert.Equal(IncidentState.Resolved, i.State));
            Assert.All(incidents.Zip(incidents.Skip(1)), pair => Assert.True(pair.First.LastSource.Offset < pair.Second.FirstSource.Offset,
                $"{host.Key}: {pair.First.Id} (@{pair.First.FirstSource.Offset}..{pair.First.LastSource.Offset}) and {pair.Second.Id} (@{pair.Second.FirstSource.Offset}..) overlap: opened twice"));
        }

        // The faults open at the kill went on after the restart under their ids, with the five fault events of phase 2
        // added to what their last message before the kill said (anomalies counted after that message are not in
        // the topic, so a crash loses them from the count, never the incident).
        foreach (IncidentSnapshot atKill in openAtKill.Where(i => faulty.Contains(i.Entity)))
        {
            IncidentSnapshot last = messages.Where(m => m.Id == atKill.Id).MaxBy(m => m.Sequence)!;
            Assert.True(last.Anomalies >= atKill.Anomalies + 5 && last.Sequence > atKill.Sequence,
                $"{atKill.Id} of {atKill.Entity}: {atKill.Anomalies} anomalies at the kill, {last.Anomalies} at the end: it did not continue after the restart");
        }
    }

    private static IEnumerable<(string Key, byte[] Value)> ByHost(IEnumerable<GeneratedEvent> events) =>
        events.Select(e => (e.Key[..e.Key.IndexOf(':', StringComparison.Ordinal)], e.Value));

    // Five minutes of the latency fault on each of the given hosts.
    private static IEnumerable<(string Key, byte[] Value)> Faults(string[] hosts, int from) =>
        Enumerable.Range(from, 5).SelectMany(minute => hosts.Select(host => (host, LatencyFaults.Event(host, minute))));

    private List<IncidentSnapshot> Messages(TestTopics topics) =>
        [.. broker.ReadToEnd(topics.Incidents, TimeSpan.FromSeconds(20)).Select(r => IncidentMessages.Read(r.Message.Value)).OfType<IncidentSnapshot>()];

    private List<IncidentSnapshot> OpenIncidents(TestTopics topics) =>
        [.. Messages(topics).GroupBy(m => m.Id).Select(g => g.MaxBy(m => m.Sequence)!).Where(m => m.State != IncidentState.Resolved)];

    private string WriteSettings(TestTopics topics, string fileName, TimeSpan idleTimeout) => ChildWorker.Settings(broker, topics)
        .Set("Retraining:WarmupEvents", 5_000)
        .RetrainingOff()
        .Set("Incidents:IdleTimeout", idleTimeout)
        .Checkpoints(Path.Combine(workDirectory, "checkpoints"))
        .OperationsOff()
        .WriteJson(Path.Combine(workDirectory, fileName));

}
