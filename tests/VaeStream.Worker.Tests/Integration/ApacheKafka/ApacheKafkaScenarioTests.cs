using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.ApacheKafka;

/// <summary>The streaming scenarios of the mock-cluster tests, against Apache Kafka in a container.</summary>
[Collection(ApacheKafkaCollection.Name)]
public sealed class ApacheKafkaScenarioTests(ApacheKafkaFixture kafka, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory work = new("vaestream-apache-");

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public Task Fifty_thousand_events_flow_through_with_anomalies_found_and_every_offset_committed()
    {
        Skip.If(kafka.UnavailableReason is not null, kafka.UnavailableReason);
        return new EndToEndScenario(kafka, work.Path).RunAsync();
    }

    [SkippableFact]
    public Task A_worker_killed_during_warm_up_scoring_and_retraining_loses_nothing_after_restarts()
    {
        Skip.If(kafka.UnavailableReason is not null, kafka.UnavailableReason);
        return new CrashSafetyScenario(kafka, work.Path, output).RunAsync();
    }
}
