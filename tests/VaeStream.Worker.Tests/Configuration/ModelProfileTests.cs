using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VaeStream.Model.Detection;

namespace VaeStream.Worker.Tests.Configuration;

/// <summary>The worker reads the one shipped settings file and its schema's width picks the profile.</summary>
public sealed class ModelProfileTests
{
    [Theory]
    [InlineData("config/schemas/ops-event.json", "narrow", 64)]
    [InlineData("config/schemas/collectd.json", "narrow", 64)]
    [InlineData("config/schemas/smd.json", "default", 128)]
    public void The_schemas_width_picks_the_settings_profile(string schema, string profile, int hidden)
    {
        using IHost host = Hosting.WorkerHost.Build(overrides: new Dictionary<string, string?>
        {
            ["Operations:Enabled"] = "false",
            ["Features:SchemaPath"] = schema,
        });

        Assert.Equal(profile, host.Services.GetRequiredService<DetectorProfile>().Name);
        Assert.Equal(hidden, host.Services.GetRequiredService<DetectorOptions>().Network.HiddenSizes[0]);
    }
}
