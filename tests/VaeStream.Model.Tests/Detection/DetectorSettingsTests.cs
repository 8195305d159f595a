using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Detection;

public sealed class DetectorSettingsTests
{
    private const string TwoProfiles = """
        {
          // wide rows
          "network": { "hiddenSizes": [128, 128], "latentSize": 8 },
          "training": { "beta": 0.25, "epochs": 30 },
          "threshold": { "risk": 0.015, "drift": { "factor": 10, "window": 400 } },
          "window": 10,
          "profiles": [
            { "name": "tiny", "minFeatures": 2, "maxFeatures": 3, "network": { "latentSize": 1 } },
            { "name": "narrow", "minFeatures": 2, "maxFeatures": 12, "maxWindow": 1, "network": { "hiddenSizes": [64] }, "threshold": { "drift": { "factor": 50 } }, "window": 1 }
          ]
        }
        """;

    [Theory]
    [InlineData(1, "default")]
    [InlineData(2, "tiny")]
    [InlineData(3, "tiny")]
    [InlineData(4, "narrow")]
    [InlineData(12, "narrow")]
    [InlineData(13, "default")]
    [InlineData(38, "default")]
    public void A_row_width_gets_the_narrowest_profile_that_serves_it(int features, string expected)
    {
        Assert.Equal(expected, DetectorSettings.Parse(TwoProfiles).For(features, 1).Name);
    }

    [Theory]
    [InlineData(1, "narrow")]
    [InlineData(10, "default")]
    [InlineData(null, "default")]
    public void A_profile_with_maxWindow_serves_only_schemas_that_say_their_window_is_that_narrow(int? window, string expected)
    {
        Assert.Equal(expected, DetectorSettings.Parse(TwoProfiles).For(8, window).Name);
        Assert.Equal("tiny", DetectorSettings.Parse(TwoProfiles).For(3, window).Name);
        if (window is int w)
        {
            // A schema says both: its width and its window.
            FeatureSchema schema = FeatureSchema.ForColumns([.. Enumerable.Range(0, 8).Select(i => $"f{i}")]) with { Window = w };
            Assert.Equal(expected, DetectorSettings.Parse(TwoProfiles).For(schema).Name);
        }
    }

    [Fact]
    public void A_profile_changes_only_the_keys_it_lists_objects_merge_and_arrays_replace()
    {
        DetectorSettings settings = DetectorSettings.Parse(TwoProfiles);
        DetectorOptions wide = settings.For(38, 1).Options;
        DetectorOptions narrow = settings.For(8, 1).Options;

        Assert.Equal([64], narrow.Network.HiddenSizes);
        Assert.Equal(8, narrow.Network.LatentSize);
        Assert.Equal(50, narrow.Threshold.Drift.Factor);
        Assert.Equal(400, narrow.Threshold.Drift.Window);
        Assert.Equal(0.015, narrow.Threshold.Risk);
        Assert.Equal(0.25, narrow.Training.Beta);
        Assert.Equal(1, narrow.Window);

        Assert.Equal([128, 128], wide.Network.HiddenSizes);
        Assert.Equal(10, wide.Threshold.Drift.Factor);
        Assert.Equal(10, wide.Window);
        Assert.Equal(1, settings.For(2, 1).Options.Network.LatentSize);
        Assert.Equal([128, 128], settings.For(2, 1).Options.Network.HiddenSizes);
        Assert.Equal(8, settings.For(1, 1).Options.Network.LatentSize);
    }

    [Fact]
    public void A_file_without_profiles_serves_every_width()
    {
        DetectorSettings settings = DetectorSettings.Parse("""{ "window": 3 }""");

        Assert.Equal(3, settings.For(1, 1).Options.Window);
        Assert.Equal(3, settings.For(500, 1).Options.Window);
        Assert.Single(settings.Profiles);
    }

    [Theory]
    [InlineData("""{ "profiles": [ { "name": "narrow", "maxFeatures": 12, "network": { "latentSiz": 3 } } ] }""", "profiles[0] ('narrow')", "latentSiz")]
    [InlineData("""{ "profiles": [ { "name": "narrow", "maxFeatures": 12, "window": 0 } ] }""", "profiles[0] ('narrow')", "window")]
    [InlineData("""{ "profiles": [ { "maxFeatures": 12 } ] }""", "profiles[0].name", "required")]
    [InlineData("""{ "profiles": [ { "name": "narrow", "maxFeatures": 0 } ] }""", "profiles[0].maxFeatures", "≥ 1")]
    [InlineData("""{ "profiles": [ { "name": "narrow", "minFeatures": 13, "maxFeatures": 12 } ] }""", "profiles[0].minFeatures", "from 1 to maxFeatures (12)")]
    [InlineData("""{ "profiles": [ { "name": "narrow", "maxFeatures": 12, "maxWindow": 0 } ] }""", "profiles[0].maxWindow", "≥ 1")]
    [InlineData("""{ "profiles": [ { "name": "a", "maxFeatures": 12 }, { "name": "b", "maxFeatures": 12 } ] }""", "profiles[1].maxFeatures", "narrowest first")]
    [InlineData("""{ "profiles": { "name": "a" } }""", "profiles must be an array", "Object")]
    [InlineData("""{ "netwrk": {} }""", "netwrk", "$")]
    public void A_mistake_in_any_profile_fails_naming_the_profile_and_the_key(string json, string where, string what)
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorSettings.Parse(json));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_written_as_json_read_back_the_same()
    {
        DetectorOptions narrow = DetectorSettings.Parse(TwoProfiles).For(8, 1).Options;

        DetectorOptions back = DetectorSettings.Parse(narrow.ToJson()).For(8, 1).Options;

        Assert.Equal(narrow.ToJson(), back.ToJson());
        Assert.Equal([64], back.Network.HiddenSizes);
    }

    [Fact]
    public void Command_line_overrides_reach_every_profile_and_are_validated()
    {
        DetectorSettings settings = DetectorSettings.Parse(TwoProfiles).Select(o => o with { Window = 4 });

        Assert.All(settings.Profiles, p => Assert.Equal(4, p.Options.Window));
        Assert.Throws<ArgumentException>(() => DetectorSettings.Parse(TwoProfiles).Select(o => o with { Window = 0 }));
    }
}
