namespace VaeStream.Model.Features;

// Compiles a schema's paths into one trie, so an event is read in a single walk whatever the number of features.
// A target is a feature's index, or one of the two negative targets for the fields that are not features.
internal static class PathTrie
{
    public const int EntityKeyTarget = -1;
    public const int TimestampTarget = -2;

    public static PathNode Compile(FeatureSchema schema)
    {
        var root = new PathNode();
        for (int i = 0; i < schema.Features.Count; i++)
        {
            Add(root, schema.Features[i].Path, i, $"features[{i}].path");
        }

        if (schema.EntityKeyPath is not null)
        {
            Add(root, schema.EntityKeyPath, EntityKeyTarget, "entityKeyPath");
        }

        if (schema.TimestampPath is not null)
        {
            Add(root, schema.TimestampPath, TimestampTarget, "timestampPath");
        }

        return root;
    }

    // The key names the path's place in the schema file, so that a bad path's error says where to fix it.
    private static void Add(PathNode root, string path, int target, string key)
    {
        PathNode node = root;
        foreach (PathSegment segment in FeaturePath.Parse(path, key))
        {
            node = node.Child(segment);
        }

        node.Targets.Add(target);
    }
}
