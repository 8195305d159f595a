using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;

namespace VaeStream.Worker.Checkpoints;

/// <summary>
/// The checkpoint directory: <c>model-v000001.vae</c>, ... Saving is atomic (temporary name, then rename) and keeps
/// the newest <see cref="CheckpointOptions.Keep"/>. Loading takes the newest valid one and falls back to older ones
/// when the newest is corrupt or made for another schema, with an error logged for each one skipped. Beside the models,
/// <c>warmup-redo-pending</c> records that the warm-up is still to be redone (<see cref="MarkWarmupRedoPending"/>).
/// </summary>
internal sealed partial class CheckpointStore(IOptions<CheckpointOptions> options, ILogger<CheckpointStore> logger)
{
    private const string WarmupRedoMarker = "warmup-redo-pending";

    private readonly CheckpointOptions settings = options.Value;

    /// <summary>
    /// Whether the newest models were trained on a warm-up that spanned less than a day of event time and the warm-up
    /// has not been redone on a whole day yet (<see cref="Retraining.DayCoverage"/>). The events kept for the redo
    /// live in memory only, so a worker restarted before the day was covered gathers them again from where it resumes.
    /// </summary>
    public bool WarmupRedoPending => File.Exists(Path.Combine(settings.Directory, WarmupRedoMarker));

    /// <summary>Records that the warm-up is to be redone; written after the first model's checkpoint.</summary>
    public void MarkWarmupRedoPending(TimeSpan covered, TimeSpan span)
    {
        Directory.CreateDirectory(settings.Directory);
        File.WriteAllText(Path.Combine(settings.Directory, WarmupRedoMarker),
            FormattableString.Invariant($"The warm-up's events spanned {covered} of event time, less than Retraining:WarmupSpan ({span}); the warm-up is redone once the events span it.\n"));
    }

    /// <summary>Records that no redo is pending: the redo went live, or the warm-up spanned the day.</summary>
    public void ClearWarmupRedoPending()
    {
        string path = Path.Combine(settings.Directory, WarmupRedoMarker);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The version a new model gets: above the live one and above every checkpoint file present, usable or not, so
    /// a version number is never given to two models of this directory (not even after every file turned unusable).
    /// </summary>
    public int NextVersion(int liveVersion) => Math.Max(liveVersion, List().Select(c => c.Version).DefaultIfEmpty(0).Max()) + 1;

    /// <summary>
    /// Writes the detector as <c>model-v{version}.vae</c>, records its digest on it and prunes old files; returns
    /// the path. A file of the same version is never overwritten.
    /// </summary>
    public string Save(AnomalyDetector detector)
    {
        Directory.CreateDirectory(settings.Directory);
        string path = Path.Combine(settings.Directory, $"model-v{detector.Metadata.Version:D6}.vae");
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"checkpoint '{path}' exists already: model versions must not be reused.");
        }

        ModelCheckpoint.Save(detector, path);
        detector.CheckpointDigest = Digest(path);
        foreach ((_, string old) in List().Skip(settings.Keep))
        {
            File.Delete(old);
        }

        return path;
    }

    /// <summary>The newest checkpoint that loads and fits <paramref name="schema"/>, or null when there is none.</summary>
    public AnomalyDetector? LoadNewest(FeatureSchema schema)
    {
        foreach ((int version, string path) in List())
        {
            try
            {
                AnomalyDetector detector = ModelCheckpoint.Load(path, schema);
                detector.CheckpointDigest = Digest(path);
                Log.CheckpointLoaded(logger, path, version);
                return detector;
            }
            catch (CheckpointException e)
            {
                Log.CheckpointSkipped(logger, path, e.Message);
            }
        }

        return null;
    }

    /// <summary>Checkpoints present, newest first.</summary>
    public IReadOnlyList<(int Version, string Path)> List()
    {
        if (!Directory.Exists(settings.Directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(settings.Directory, "model-v*.vae")
            .Select(path => (Match: FileName().Match(Path.GetFileName(path)), Path: path))
            .Where(x => x.Match.Success)
            .Select(x => (int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderByDescending(x => x.Item1)
            .ToArray();
    }

    private static string Digest(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    [GeneratedRegex(@"^model-v(\d+)\.vae$")]
    private static partial Regex FileName();
}
