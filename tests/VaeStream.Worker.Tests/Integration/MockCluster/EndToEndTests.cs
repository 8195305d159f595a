using VaeStream.Worker.Tests.Integration.Brokers;
using VaeStream.Worker.Tests.Integration.Scenarios;

namespace VaeStream.Worker.Tests.Integration.MockCluster;

[Collection(MockClusterCollection.Name)]
public sealed class EndToEndTests(MockClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory checkpoints = new("vaestream-e2e-");

    public void Dispose() => checkpoints.Dispose();

    [Fact]
    public Task Fifty_thousand_events_flow_through_with_anomalies_found_and_every_offset_committed() =>
        new EndToEndScenario(cluster, checkpoints.Path).RunAsync();
}
