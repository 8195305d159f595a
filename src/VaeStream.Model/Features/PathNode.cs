using System.Text.Json;

namespace VaeStream.Model.Features;

// One node of the compiled path trie: the targets whose path ends here, and the children by property name
// (as UTF-8 bytes, so event names are compared without decoding) and by array index.
internal sealed class PathNode
{
    public List<int> Targets { get; } = [];

    public List<(byte[] Name, PathNode Node)> Properties { get; } = [];

    public Dictionary<int, PathNode> Elements { get; } = [];

    public PathNode Child(PathSegment segment)
    {
        if (segment.IsIndex)
        {
            if (!Elements.TryGetValue(segment.Index, out PathNode? element))
            {
                Elements[segment.Index] = element = new PathNode();
            }

            return element;
        }

        foreach ((byte[] name, PathNode existing) in Properties)
        {
            if (name.AsSpan().SequenceEqual(segment.Utf8Name))
            {
                return existing;
            }
        }

        var node = new PathNode();
        Properties.Add((segment.Utf8Name!, node));
        return node;
    }

    public PathNode? FindProperty(ref Utf8JsonReader reader)
    {
        // An unescaped name is compared as raw bytes: ValueTextEquals is several times slower per call, and
        // this runs for every property of every event.
        bool escaped = reader.ValueIsEscaped;
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        foreach ((byte[] name, PathNode node) in Properties)
        {
            if (escaped ? reader.ValueTextEquals(name) : raw.SequenceEqual(name))
            {
                return node;
            }
        }

        return null;
    }
}
