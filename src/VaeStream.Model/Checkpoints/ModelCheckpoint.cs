using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VaeStream.Model.Detection;
using VaeStream.Model.Features;
using VaeStream.Model.Network;
using VaeStream.Model.Scaling;
using VaeStream.Model.Scoring;
using VaeStream.Model.Thresholds;

namespace VaeStream.Model.Checkpoints;

/// <summary>
/// One file per model: magic, a JSON header (schema and its hash, scaler, imputation means, scoring, threshold,
/// options, version and training metadata), the TorchSharp weights, and a SHA-256 of all that.
/// Files are written under a temporary name and renamed into place, so a reader never sees half a model.
/// </summary>
public static class ModelCheckpoint
{
    // Version 2 added the per-feature residual scale. Version 1 files still load: they cannot use the weighted score,
    // and score exactly as before. Version 3 added scoring.smoothing and the calibration scores; version 1 and 2 files
    // load with no smoothing, as their thresholds were calibrated, and without calibration scores (no streaming
    // threshold offline); a build that reads only up to 2 refuses a version 3 file by name instead of scoring it
    // unsmoothed against a smoothed threshold.
    private const int FormatVersion = 3;
    private const int OldestReadableVersion = 1;
    private const int ChecksumLength = 32;
    private static readonly byte[] Magic = "VAESTRM\u0001"u8.ToArray();

    /// <summary>Writes the detector to <paramref name="path"/> atomically.</summary>
    public static void Save(AnomalyDetector detector, string path)
    {
        var header = new CheckpointHeader
        {
            FormatVersion = FormatVersion,
            SchemaHash = detector.Schema.ComputeHash(),
            Schema = detector.Schema,
            InputSize = detector.Network.InputSize,
            Network = detector.Network.Options,
            ImputationMeans = detector.ImputationMeans,
            Scaler = detector.Scaler,
            Scoring = detector.Scoring,
            ResidualScale = detector.ResidualScale,
            Threshold = detector.Threshold,
            CalibrationScores = detector.CalibrationScores,
            Options = detector.Options,
            Metadata = detector.Metadata,
        };

        using var body = new MemoryStream();
        body.Write(Magic);
        byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, FeatureSchema.JsonOptions);
        WriteInt64(body, headerBytes.Length);
        body.Write(headerBytes);
        using (var weights = new MemoryStream())
        {
            using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true))
            {
                detector.Network.save(writer);
            }

            WriteInt64(body, weights.Length);
            weights.Position = 0;
            weights.CopyTo(body);
        }

        byte[] checksum = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Write(checksum);

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                body.Position = 0;
                body.CopyTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Reads a detector. With <paramref name="expectedSchema"/>, the checkpoint must have been made for a schema
    /// with the same hash; otherwise loading fails with a message that says what differs.
    /// </summary>
    public static AnomalyDetector Load(string path, FeatureSchema? expectedSchema = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"checkpoint '{path}' cannot be read: {e.Message}", e);
        }

        CheckpointHeader header = ReadHeader(path, bytes, out ReadOnlyMemory<byte> weights);
        if (expectedSchema is not null)
        {
            CheckCompatible(path, header.Schema, expectedSchema);
        }

        var network = new VariationalAutoencoder(header.InputSize, header.Network);
        try
        {
            using var stream = new MemoryStream(weights.ToArray(), writable: false);
            using var reader = new BinaryReader(stream);
            network.load(reader);
            network.eval();
        }
        catch (Exception e)
        {
            network.Dispose();
            throw new CheckpointException($"checkpoint '{path}': the weights do not fit the network it describes: {e.Message}", e);
        }

        try
        {
            return new AnomalyDetector(header.Schema, header.ImputationMeans, header.Scaler, network, header.Scoring,
                header.ResidualScale, header.Threshold, header.Options, header.Metadata, header.CalibrationScores);
        }
        catch (ArgumentException e)
        {
            network.Dispose();
            throw new CheckpointException($"checkpoint '{path}' (format version {header.FormatVersion}): {e.Message}", e);
        }
    }

    private static CheckpointHeader ReadHeader(string path, byte[] bytes, out ReadOnlyMemory<byte> weights)
    {
        if (bytes.Length < Magic.Length + 16 + ChecksumLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CheckpointException($"checkpoint '{path}' is not a VaeStream model file (bad magic or too short: {bytes.Length} bytes).");
        }

        ReadOnlySpan<byte> stored = bytes.AsSpan(bytes.Length - ChecksumLength);
        byte[] actual = SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumLength));
        if (!stored.SequenceEqual(actual))
        {
            throw new CheckpointException(
                $"checkpoint '{path}' is corrupt: checksum mismatch (stored {Convert.ToHexStringLower(stored)[..16]}…, computed {Convert.ToHexStringLower(actual)[..16]}…).");
        }

        int offset = Magic.Length;
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
        offset += 8;
        CheckpointHeader header;
        try
        {
            // The version first, alone: a header of another version may lack members this one requires, and its
            // error should name the version, not a missing member.
            ReadOnlySpan<byte> json = bytes.AsSpan(offset, (int)headerLength);
            int version = JsonSerializer.Deserialize<VersionProbe>(json, FeatureSchema.JsonOptions)?.FormatVersion ?? 0;
            if (version is < OldestReadableVersion or > FormatVersion)
            {
                throw new CheckpointException(
                    $"checkpoint '{path}' has format version {version}; this build reads versions {OldestReadableVersion} to {FormatVersion}.");
            }

            header = JsonSerializer.Deserialize<CheckpointHeader>(json, FeatureSchema.JsonOptions)
                ?? throw new CheckpointException($"checkpoint '{path}' has an empty header.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"checkpoint '{path}' has an unreadable header: {e.Message}", e);
        }

        offset += (int)headerLength;
        long weightsLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
        weights = bytes.AsMemory(offset + 8, (int)weightsLength);
        return header;
    }

    private static void CheckCompatible(string path, FeatureSchema saved, FeatureSchema expected)
    {
        if (saved.ComputeHash() == expected.ComputeHash())
        {
            return;
        }

        var differences = new List<string>();
        string[] savedNames = [.. saved.FeatureNames];
        string[] expectedNames = [.. expected.FeatureNames];
        differences.AddRange(expectedNames.Except(savedNames).Select(n => $"feature '{n}' is not in the checkpoint"));
        differences.AddRange(savedNames.Except(expectedNames).Select(n => $"checkpoint feature '{n}' is not in the schema"));
        if (saved.Window != expected.Window)
        {
            differences.Add($"window {saved.Window} in the checkpoint, {expected.Window} in the schema");
        }

        if (differences.Count == 0)
        {
            differences.Add("feature order, paths or transforms differ");
        }

        throw new CheckpointException(
            $"checkpoint '{path}' was made for schema {saved.ComputeHash()}, the configured schema is {expected.ComputeHash()}: {string.Join("; ", differences)}.");
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        stream.Write(buffer);
    }

    private sealed record VersionProbe(int FormatVersion);

    private sealed record CheckpointHeader
    {
        public int FormatVersion { get; init; }

        public required string SchemaHash { get; init; }

        public required FeatureSchema Schema { get; init; }

        public int InputSize { get; init; }

        public required NetworkOptions Network { get; init; }

        public required float[] ImputationMeans { get; init; }

        public required FeatureScaler Scaler { get; init; }

        public required ScoringOptions Scoring { get; init; }

        public float[]? ResidualScale { get; init; }

        public required ThresholdState Threshold { get; init; }

        public float[]? CalibrationScores { get; init; }

        public required DetectorOptions Options { get; init; }

        public required ModelMetadata Metadata { get; init; }
    }
}
