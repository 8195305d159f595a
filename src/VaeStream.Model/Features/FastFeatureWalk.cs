using System.Text.Unicode;

namespace VaeStream.Model.Features;

// FeatureWalk without Utf8JsonReader, for the events telemetry is made of: one pass over the raw bytes that checks
// the grammar and matches the trie's names as bytes. It reads a strict subset of what the reader accepts (no
// escapes, no comments, no BOM, valid UTF-8 throughout, at most MaxDepth levels) and gives up, returning false, on
// anything else and on every bad value, so that the reader's path reads the event again and reports the error in
// its own words. Where it succeeds, the values come from the same parsers and transforms as the reader's path, in
// the same order, so the two agree bit for bit.
internal ref struct FastFeatureWalk
{
    // Half the reader's MaxDepth (64): deeper events are rare enough to leave to the reader, which is then the
    // only one that has to get the limit exactly right.
    private const int MaxDepth = 32;

    private JsonByteScanner scanner;
    private FastTargetReader targets;

    private FastFeatureWalk(ReadOnlySpan<byte> json, FeatureSchema schema, Span<float> values)
    {
        scanner = new JsonByteScanner(json);
        targets = new FastTargetReader(schema, values);
    }

    /// <summary>
    /// Reads the event into <paramref name="values"/> (already filled with NaN) when it lies in the fast path's
    /// subset and has no bad value; false otherwise, with <paramref name="values"/> partly written.
    /// </summary>
    public static bool TryExtract(ReadOnlySpan<byte> json, FeatureSchema schema, PathNode root, Span<float> values, out ExtractedFields fields)
    {
        fields = default;

        // Checked once for the whole event, so that any string may be decoded as the reader would, and so that
        // invalid bytes, which the reader reports only where it decodes them, are always its to report.
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        var walk = new FastFeatureWalk(json, schema, values);
        try
        {
            walk.scanner.SkipWhitespace();
            if (!walk.scanner.At((byte)'{') || !walk.Walk(root, 0))
            {
                return false;
            }
        }
        catch (FeatureExtractionException)
        {
            // A transform rejected a value: the reader's path throws the same error from the same call.
            return false;
        }

        walk.scanner.SkipWhitespace();
        if (!walk.scanner.AtEnd)
        {
            return false;
        }

        // A missing required value is the reader's path's to report, in its words.
        if (JsonFieldValues.MissingRequired(schema, values, walk.targets.EntityKey) is not null)
        {
            return false;
        }

        fields = new ExtractedFields(walk.targets.EntityKey, walk.targets.Timestamp);
        return true;
    }

    // Reads the value at the position and moves past it. A null node skips the value, still checking it.
    private bool Walk(PathNode? node, int depth)
    {
        if (node is not null && node.Targets.Count > 0)
        {
            return targets.Read(ref scanner, node);
        }

        if (!scanner.TryPeek(out byte next))
        {
            return false;
        }

        switch (next)
        {
            case (byte)'{':
                return WalkObject(node is not null && node.Properties.Count > 0 ? node : null, depth + 1);
            case (byte)'[':
                return WalkArray(node is not null && node.Elements.Count > 0 ? node : null, depth + 1);
            case (byte)'"':
                return scanner.ScanString(out _);
            case (byte)'t':
                return scanner.ScanLiteral("true"u8);
            case (byte)'f':
                return scanner.ScanLiteral("false"u8);
            case (byte)'n':
                return scanner.ScanLiteral("null"u8);
            default:
                return scanner.ScanNumber(out _);
        }
    }

    private bool WalkObject(PathNode? node, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        scanner.Advance();
        scanner.SkipWhitespace();
        if (scanner.At((byte)'}'))
        {
            scanner.Advance();
            return true;
        }

        while (true)
        {
            if (!scanner.At((byte)'"') || !scanner.ScanString(out ReadOnlySpan<byte> name))
            {
                return false;
            }

            scanner.SkipWhitespace();
            if (!scanner.At((byte)':'))
            {
                return false;
            }

            scanner.Advance();
            scanner.SkipWhitespace();
            if (!Walk(node is null ? null : FindProperty(node, name), depth) || !scanner.EndOfMember((byte)'}', out bool end))
            {
                return false;
            }

            if (end)
            {
                return true;
            }
        }
    }

    private bool WalkArray(PathNode? node, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        scanner.Advance();
        scanner.SkipWhitespace();
        if (scanner.At((byte)']'))
        {
            scanner.Advance();
            return true;
        }

        int index = 0;
        while (true)
        {
            PathNode? child = null;
            node?.Elements.TryGetValue(index, out child);
            index++;
            if (!Walk(child, depth) || !scanner.EndOfMember((byte)']', out bool end))
            {
                return false;
            }

            if (end)
            {
                return true;
            }
        }
    }

    private static PathNode? FindProperty(PathNode node, ReadOnlySpan<byte> name)
    {
        foreach ((byte[] candidate, PathNode child) in node.Properties)
        {
            // Most names differ in length or first byte, which is cheaper to see than to call SequenceEqual.
            if (candidate.Length == name.Length && (name.IsEmpty || candidate[0] == name[0]) && name.SequenceEqual(candidate))
            {
                return child;
            }
        }

        return null;
    }
}
