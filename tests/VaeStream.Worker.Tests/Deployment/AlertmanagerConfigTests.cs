using VaeStream.Worker.Tests.Integration.Peers;

namespace VaeStream.Worker.Tests.Deployment;

public sealed class AlertmanagerConfigTests
{
    [SkippableFact]
    public async Task The_compose_files_alertmanager_configuration_is_one_real_Alertmanager_starts_with()
    {
        Skip.If(AlertmanagerProcess.UnavailableReason is not null, AlertmanagerProcess.UnavailableReason);

        using AlertmanagerProcess alertmanager = await AlertmanagerProcess.StartAsync(Path.Combine(RepositoryRoot.Path, "config", "alertmanager.yml"));

        Assert.Empty(await alertmanager.AlertsAsync());
    }
}
