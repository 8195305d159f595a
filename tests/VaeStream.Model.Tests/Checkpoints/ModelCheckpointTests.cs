using VaeStream.Model.Checkpoints;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scoring;
using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Checkpoints;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly TempDirectory directory = new("vaestream-ckpt-");

    public ModelCheckpointTests() => TorchRuntime.Initialize();

    public void Dispose() => directory.Dispose();

    private static AnomalyDetector Train(ScoreKind kind = ScoreKind.Mse, int smoothing = 1)
    {
        (FeatureTable train, _) = SyntheticData.Generate(1200, 0, seed: 9);
        return DetectorTrainer.Train(train, new DetectorOptions
        {
            Network = new NetworkOptions { HiddenSizes = [16], LatentSize = 2, LearnVariance = kind == ScoreKind.Nll },
            Training = new TrainingOptions { Epochs = 2 },
            Scoring = new ScoringOptions { Kind = kind, Samples = 3, Smoothing = smoothing },
        }, version: 7);
    }

    [Theory]
    [InlineData(ScoreKind.Mse, 1)]
    [InlineData(ScoreKind.Nll, 1)]
    [InlineData(ScoreKind.Weighted, 1)]
    [InlineData(ScoreKind.Weighted, 5)]
    public void A_round_trip_gives_bit_identical_scores_and_keeps_the_metadata(ScoreKind kind, int smoothing)
    {
        (FeatureTable data, _) = SyntheticData.Generate(500, 0.05, seed: 10);
        string path = Path.Combine(directory.Path, "model.vae");
        using AnomalyDetector original = Train(kind, smoothing);

        ModelCheckpoint.Save(original, path);
        using AnomalyDetector loaded = ModelCheckpoint.Load(path, SyntheticData.Schema);

        Assert.Equal(original.ScoreTable(data).Scores, loaded.ScoreTable(data).Scores);
        Assert.Equal(original.Threshold, loaded.Threshold);
        Assert.Equal(7, loaded.Metadata.Version);
        Assert.Equal(original.Metadata.ValidationLosses, loaded.Metadata.ValidationLosses);
        Assert.Equal(original.Scaler.Center, loaded.Scaler.Center);
        Assert.Equal(original.ResidualScale, loaded.ResidualScale);
        Assert.Equal(smoothing, loaded.Scoring.Smoothing);
        Assert.NotNull(loaded.CalibrationScores);
        Assert.Equal(original.CalibrationScores, loaded.CalibrationScores);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public void A_format_version_2_file_loads_without_smoothing_as_its_threshold_was_calibrated()
    {
        (FeatureTable data, _) = SyntheticData.Generate(300, 0.05, seed: 12);
        using AnomalyDetector original = Train(ScoreKind.Weighted);

        using AnomalyDetector loaded = SaveAsAnotherBuildWouldHave(original, header =>
        {
            header["formatVersion"] = 2;
            header["scoring"]!.AsObject().Remove("smoothing");
            header["options"]!["scoring"]!.AsObject().Remove("smoothing");
            header.Remove("calibrationScores");
        });

        Assert.Null(loaded.CalibrationScores);
        Assert.Equal(1, loaded.Scoring.Smoothing);
        Assert.Equal(1, loaded.Options.Scoring.Smoothing);
        Assert.Equal(original.ScoreTable(data).Scores, loaded.ScoreTable(data).Scores);
    }

    [Fact]
    public void A_format_version_1_file_loads_without_a_residual_scale_and_scores_as_before()
    {
        (FeatureTable data, _) = SyntheticData.Generate(300, 0.05, seed: 11);
        using AnomalyDetector original = Train(ScoreKind.Mse);

        using AnomalyDetector loaded = SaveAsAnotherBuildWouldHave(original, header =>
        {
            header["formatVersion"] = 1;
            header.Remove("residualScale");
        });

        Assert.Null(loaded.ResidualScale);
        Assert.Equal(original.ScoreTable(data).Scores, loaded.ScoreTable(data).Scores);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_file_of_a_format_version_this_build_does_not_read_is_refused_naming_the_version(int version)
    {
        string path = Path.Combine(directory.Path, "model.vae");
        using (AnomalyDetector detector = Train())
        {
            ModelCheckpoint.Save(detector, path);
        }

        // A newer format may drop members this build requires: the version must still be what the message names.
        RewriteHeader(path, header =>
        {
            header["formatVersion"] = version;
            header.Remove("scaler");
        });

        CheckpointException error = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.Equal($"checkpoint '{path}' has format version {version}; this build reads versions 1 to 3.", error.Message);
    }

    [Fact]
    public void A_weighted_model_without_its_residual_scale_is_refused_with_the_reason()
    {
        string path = Path.Combine(directory.Path, "model.vae");
        using (AnomalyDetector detector = Train(ScoreKind.Weighted))
        {
            ModelCheckpoint.Save(detector, path);
        }

        RewriteHeader(path, header => header.Remove("residualScale"));

        CheckpointException error = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.Equal($"checkpoint '{path}' (format version 3): the Weighted score needs a positive finite residual scale for each of the 8 features; got none.", error.Message);
    }

    // Saves the detector, edits the header as an older build would have written it, and loads the file back.
    private AnomalyDetector SaveAsAnotherBuildWouldHave(AnomalyDetector original, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        string path = Path.Combine(directory.Path, "model.vae");
        ModelCheckpoint.Save(original, path);
        RewriteHeader(path, edit);
        return ModelCheckpoint.Load(path, SyntheticData.Schema);
    }

    // Edits the JSON header of a saved file and rewrites its lengths and checksum, as another build would have written it.
    private static void RewriteHeader(string path, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        const int magic = 8;
        int headerLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(magic));
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(magic + 8, headerLength))!.AsObject();
        edit(header);
        byte[] newHeader = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] rest = bytes[(magic + 8 + headerLength)..^32];
        using var body = new MemoryStream();
        body.Write(bytes, 0, magic);
        byte[] length = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, newHeader.Length);
        body.Write(length);
        body.Write(newHeader);
        body.Write(rest);
        byte[] content = body.ToArray();
        File.WriteAllBytes(path, [.. content, .. System.Security.Cryptography.SHA256.HashData(content)]);
    }

    [Fact]
    public void A_flipped_byte_is_reported_as_a_checksum_mismatch()
    {
        string path = Path.Combine(directory.Path, "model.vae");
        using (AnomalyDetector detector = Train())
        {
            ModelCheckpoint.Save(detector, path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        CheckpointException error = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));
        Assert.StartsWith($"checkpoint '{path}' is corrupt: checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused()
    {
        string path = Path.Combine(directory.Path, "junk.vae");
        File.WriteAllText(path, "not a model");

        CheckpointException error = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path));

        Assert.Equal($"checkpoint '{path}' is not a VaeStream model file (bad magic or too short: 11 bytes).", error.Message);
    }

    [Fact]
    public void A_checkpoint_for_another_schema_names_the_difference()
    {
        string path = Path.Combine(directory.Path, "model.vae");
        using (AnomalyDetector detector = Train())
        {
            ModelCheckpoint.Save(detector, path);
        }

        FeatureSchema other = FeatureSchema.ForColumns(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "extra"]);

        CheckpointException error = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(path, other));
        Assert.Contains("feature 'extra' is not in the checkpoint; checkpoint feature 'f7' is not in the schema", error.Message, StringComparison.Ordinal);
    }
}
