using System.Runtime.InteropServices;
using VaeStream.Model.Features;

namespace VaeStream.Model.Tests.Features;

/// <summary>What one extraction gave: the row and fields, or the error.</summary>
internal readonly record struct ExtractionOutcome(float[] Values, ExtractedFields Fields, FeatureExtractionException? Error);

/// <summary>Runs an event through the reader's path and through <see cref="JsonFeatureExtractor.Extract"/>, and says how they differ.</summary>
internal sealed class ExtractorComparison(FeatureSchema schema)
{
    private readonly float[] readerValues = new float[schema.FeatureCount];
    private readonly float[] extractValues = new float[schema.FeatureCount];

    public JsonFeatureExtractor Extractor { get; } = new(schema);

    public ExtractionOutcome Reader(byte[] payload) => Run(readerValues, values => Extractor.ExtractWithReader(payload, values));

    public ExtractionOutcome Extract(byte[] payload) => Run(extractValues, values => Extractor.Extract(payload, values));

    /// <summary>Null when both give the same bits, fields and error (kind, message, field, path, value).</summary>
    public string? Difference(byte[] payload)
    {
        ExtractionOutcome expected = Reader(payload);
        ExtractionOutcome actual = Extract(payload);
        if (expected.Error is not null || actual.Error is not null)
        {
            return Describe(expected.Error) == Describe(actual.Error) ? null : $"reader: {Describe(expected.Error)}; extract: {Describe(actual.Error)}";
        }

        if (!MemoryMarshal.Cast<float, int>(expected.Values).SequenceEqual(MemoryMarshal.Cast<float, int>(actual.Values)))
        {
            return $"reader: [{string.Join(", ", expected.Values.Select(Bits))}]; extract: [{string.Join(", ", actual.Values.Select(Bits))}]";
        }

        // DateTimeOffset's own equality ignores the offset, which is part of what the event said.
        (string?, long?, TimeSpan?) Fields(ExtractedFields f) => (f.EntityKey, f.Timestamp?.UtcTicks, f.Timestamp?.Offset);
        return Fields(expected.Fields) == Fields(actual.Fields) ? null : $"reader: {expected.Fields}; extract: {actual.Fields}";
    }

    private static ExtractionOutcome Run(float[] values, Func<float[], ExtractedFields> extract)
    {
        try
        {
            return new ExtractionOutcome(values, extract(values), null);
        }
        catch (FeatureExtractionException e)
        {
            return new ExtractionOutcome(values, default, e);
        }
    }

    private static string Describe(FeatureExtractionException? e) =>
        e is null ? "no error" : $"{e.Kind} [{e.Field}|{e.Path}|{e.Value}] {e.Message}";

    private static string Bits(float value) => $"{value}({BitConverter.SingleToInt32Bits(value):X8})";
}
