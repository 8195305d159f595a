using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;
using Xunit.Abstractions;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

[Collection(MockClusterCollection.Name)]
public sealed class CrashSafetyTests(MockClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory work = new("vaestream-crash-");

    public void Dispose() => work.Dispose();

    [Fact]
    public Task A_worker_killed_during_warm_up_scoring_and_retraining_loses_nothing_after_restarts() =>
        new CrashSafetyScenario(cluster, work.Path, output).RunAsync();

    [Fact]
    public Task A_worker_on_an_aggregated_schema_killed_during_warm_up_scoring_and_retraining_loses_nothing_after_restarts() =>
        new CrashSafetyScenario(cluster, work.Path, output, aggregated: true).RunAsync();

    [Fact]
    public Task A_worker_killed_with_incidents_open_continues_them_after_a_restart_and_resolves_them_all() =>
        new IncidentCrashScenario(cluster, work.Path, output).RunAsync();
}
