using System.Text;

namespace VaeStream.Model.Features;

/// <summary>One step of a path: a property name (as UTF-8) or an array index.</summary>
internal readonly record struct PathSegment(string? Name, byte[]? Utf8Name, int Index)
{
    public bool IsIndex => Name is null;

    public static PathSegment Property(string name) => new(name, Encoding.UTF8.GetBytes(name), -1);

    public static PathSegment Element(int index) => new(null, null, index);
}

/// <summary>Parses <c>a.b[2].c</c> into segments; errors name the schema key and the position.</summary>
internal static class FeaturePath
{
    public static IReadOnlyList<PathSegment> Parse(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SchemaException($"{key}: a non-empty path is required.");
        }

        var segments = new List<PathSegment>();
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                int close = path.IndexOf(']', i);
                if (close < 0 || !int.TryParse(path.AsSpan(i + 1, close - i - 1), out int index) || index < 0)
                {
                    throw new SchemaException($"{key} '{path}': expected a non-negative array index like [0] at position {i}.");
                }

                segments.Add(PathSegment.Element(index));
                i = close + 1;
                if (i < path.Length && path[i] == '.')
                {
                    i++;
                    if (i == path.Length)
                    {
                        throw new SchemaException($"{key} '{path}': the path ends with '.'.");
                    }
                }

                continue;
            }

            int end = path.IndexOfAny(['.', '['], i);
            if (end < 0)
            {
                end = path.Length;
            }

            if (end == i)
            {
                throw new SchemaException($"{key} '{path}': empty property name at position {i}.");
            }

            segments.Add(PathSegment.Property(path[i..end]));
            i = end;
            if (i < path.Length && path[i] == '.')
            {
                i++;
                if (i == path.Length)
                {
                    throw new SchemaException($"{key} '{path}': the path ends with '.'.");
                }
            }
        }

        return segments;
    }
}
