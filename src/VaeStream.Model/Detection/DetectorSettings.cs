using System.Text.Json;
using System.Text.Json.Nodes;
using VaeStream.Model.Features;

namespace VaeStream.Model.Detection;

/// <summary>One named set of detector options and the inputs it serves.</summary>
/// <param name="Name">The profile's name, for logs and reports ("default" for the file's top level).</param>
/// <param name="MinFeatures">The fewest features per row it serves.</param>
/// <param name="MaxFeatures">The most features per row it serves.</param>
/// <param name="MaxWindow">The widest schema window it serves; null: any, including a window the settings choose.</param>
/// <param name="Options">The options it resolves to.</param>
public sealed record DetectorProfile(string Name, int MinFeatures, int MaxFeatures, int? MaxWindow, DetectorOptions Options)
{
    /// <summary>
    /// Whether rows of <paramref name="featureCount"/> features get this profile, under a schema of
    /// <paramref name="window"/> rows per input (null: no schema says, as for columns read from a CSV file).
    /// </summary>
    public bool Serves(int featureCount, int? window) =>
        featureCount >= MinFeatures && featureCount <= MaxFeatures && (MaxWindow is null || window <= MaxWindow);
}

/// <summary>
/// The settings file, <c>config/model.json</c>: detector options at the top level, and <c>profiles</c> that override
/// some of them for other inputs. The data chooses: a schema of N features per row and a window of W rows gets the
/// first profile with <c>minFeatures</c> ≤ N ≤ <c>maxFeatures</c> and W ≤ <c>maxWindow</c> (when it sets one), and
/// the top level when none fits. One file then serves a worker scoring events of six metrics one by one and a
/// server's 38-metric series, without anyone picking a file for the data.
/// </summary>
/// <remarks>
/// A profile lists only the keys it changes; objects merge key by key, and any other value (an array included)
/// replaces the top level's. Every profile is resolved and validated when the file is read, so a typo in one that
/// this data would not use still fails at start, naming the profile and the key.
/// </remarks>
public sealed class DetectorSettings
{
    private const string ProfilesKey = "profiles";
    private const string NameKey = "name";
    private const string MinFeaturesKey = "minFeatures";
    private const string MaxFeaturesKey = "maxFeatures";
    private const string MaxWindowKey = "maxWindow";

    private readonly DetectorProfile wide;
    private readonly IReadOnlyList<DetectorProfile> narrower;

    private DetectorSettings(DetectorProfile wide, IReadOnlyList<DetectorProfile> narrower)
    {
        this.wide = wide;
        this.narrower = narrower;
    }

    /// <summary>The profiles, narrowest first, then the top level.</summary>
    public IEnumerable<DetectorProfile> Profiles => narrower.Append(wide);

    /// <summary>Settings of one profile, the given options, for every input.</summary>
    public static DetectorSettings Of(DetectorOptions options) => new(new DetectorProfile("default", 1, int.MaxValue, null, options.Validate()), []);

    /// <summary>
    /// The profile for rows of <paramref name="featureCount"/> features under a schema of <paramref name="window"/>
    /// rows per input; null when no schema says (CSV columns take the chosen profile's window).
    /// </summary>
    public DetectorProfile For(int featureCount, int? window) =>
        narrower.FirstOrDefault(p => p.Serves(featureCount, window)) ?? wide;

    /// <summary>The profile for rows read by <paramref name="schema"/>: its feature count and its window.</summary>
    public DetectorProfile For(FeatureSchema schema) => For(schema.FeatureCount, schema.Window);

    /// <summary>The same profiles, each changed by <paramref name="change"/> (command-line overrides) and validated again.</summary>
    public DetectorSettings Select(Func<DetectorOptions, DetectorOptions> change) =>
        new(wide with { Options = change(wide.Options).Validate() },
            [.. narrower.Select(p => p with { Options = change(p.Options).Validate() })]);

    /// <summary>Reads and validates a settings file; unknown keys are errors, so a typo cannot pass silently.</summary>
    public static DetectorSettings Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses and validates settings text.</summary>
    public static DetectorSettings Parse(string json)
    {
        JsonObject top;
        try
        {
            top = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new ArgumentException("the settings are not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"invalid JSON: {e.Message}", e);
        }

        JsonNode? profilesNode = top[ProfilesKey];
        top.Remove(ProfilesKey);
        var wide = new DetectorProfile("default", 1, int.MaxValue, null, Deserialize(top, "$"));
        var narrower = new List<DetectorProfile>();
        if (profilesNode is not null)
        {
            if (profilesNode is not JsonArray profiles)
            {
                throw new ArgumentException($"{ProfilesKey} must be an array of objects; found {profilesNode.GetValueKind()}.");
            }

            for (int i = 0; i < profiles.Count; i++)
            {
                string at = $"{ProfilesKey}[{i}]";
                DetectorProfile profile = ReadProfile(top, profiles[i] as JsonObject ?? throw new ArgumentException($"{at} must be an object."), at);
                if (narrower.Count > 0 && profile.MaxFeatures <= narrower[^1].MaxFeatures)
                {
                    throw new ArgumentException(
                        $"{at}.{MaxFeaturesKey}: {profile.MaxFeatures} must be larger than the profile before it ({narrower[^1].MaxFeatures}); list profiles narrowest first.");
                }

                narrower.Add(profile);
            }
        }

        return new DetectorSettings(wide, narrower);
    }

    private static DetectorProfile ReadProfile(JsonObject top, JsonObject profile, string at)
    {
        var overrides = (JsonObject)profile.DeepClone();
        string name = overrides[NameKey] is JsonValue n && n.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new ArgumentException($"{at}.{NameKey} is required: a non-empty string.");
        int maxFeatures = overrides[MaxFeaturesKey] is JsonValue m && m.TryGetValue(out int value) && value >= 1
            ? value
            : throw new ArgumentException($"{at}.{MaxFeaturesKey} is required: a whole number ≥ 1 (the most features per row this profile serves).");
        int minFeatures = overrides[MinFeaturesKey] switch
        {
            null => 1,
            JsonValue v when v.TryGetValue(out int least) && least >= 1 && least <= maxFeatures => least,
            _ => throw new ArgumentException($"{at}.{MinFeaturesKey}: a whole number from 1 to {MaxFeaturesKey} ({maxFeatures}) (the fewest features per row this profile serves; 1 when left out)."),
        };
        int? maxWindow = overrides[MaxWindowKey] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out int widest) && widest >= 1 => widest,
            _ => throw new ArgumentException($"{at}.{MaxWindowKey}: a whole number ≥ 1 (the widest schema window this profile serves; any when left out)."),
        };
        overrides.Remove(NameKey);
        overrides.Remove(MinFeaturesKey);
        overrides.Remove(MaxFeaturesKey);
        overrides.Remove(MaxWindowKey);

        var merged = (JsonObject)top.DeepClone();
        Merge(merged, overrides);
        return new DetectorProfile(name, minFeatures, maxFeatures, maxWindow, Deserialize(merged, $"{at} ('{name}')"));
    }

    /// <summary>Objects merge key by key; anything else replaces the value beneath it.</summary>
    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach ((string key, JsonNode? value) in overrides.ToList())
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static DetectorOptions Deserialize(JsonObject json, string at)
    {
        try
        {
            DetectorOptions options = json.Deserialize<DetectorOptions>(DetectorOptions.StrictJson)
                ?? throw new ArgumentException($"{at} holds no options object.");
            return options.Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{at}: invalid model options at {e.Path ?? "$"}: {e.Message}", e);
        }
        catch (ArgumentException e) when (at != "$")
        {
            throw new ArgumentException($"{at}: {e.Message}", e);
        }
    }
}
