using System.Text.Json;

namespace VaeStream.Model.Features;

// One event's forward walk down the compiled paths: each target is read where the trie puts it, and every
// subtree no path enters is skipped unread. A ref struct on the caller's stack, so an event allocates no state.
internal ref struct FeatureWalk(FeatureSchema schema, Span<float> values)
{
    private readonly FeatureSchema schema = schema;
    private readonly Span<float> values = values;

    public string? EntityKey { get; private set; }

    public DateTimeOffset? Timestamp { get; private set; }

    public void Walk(ref Utf8JsonReader reader, PathNode node)
    {
        foreach (int target in node.Targets)
        {
            ReadTarget(ref reader, target);
        }

        if (reader.TokenType == JsonTokenType.StartObject && node.Properties.Count > 0)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                PathNode? child = node.FindProperty(ref reader);
                reader.Read();
                if (child is null)
                {
                    reader.Skip();
                }
                else
                {
                    Walk(ref reader, child);
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray && node.Elements.Count > 0)
        {
            int index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (node.Elements.TryGetValue(index++, out PathNode? child))
                {
                    Walk(ref reader, child);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }
    }

    private void ReadTarget(ref Utf8JsonReader reader, int target)
    {
        if (target == PathTrie.EntityKeyTarget)
        {
            EntityKey = JsonFieldValues.ReadEntityKey(ref reader, schema.EntityKeyPath);
            return;
        }

        if (target == PathTrie.TimestampTarget)
        {
            Timestamp = JsonFieldValues.ReadTimestamp(ref reader, schema.TimestampPath);
            return;
        }

        JsonFieldValues.ReadFeature(ref reader, schema.Features[target], ref values[target]);
    }
}
