namespace VaeStream.Worker.Configuration;

/// <summary>"Did you mean" for a mistyped name: the nearest known name by edit distance, if it is near enough.</summary>
internal static class KeySuggestion
{
    /// <summary>
    /// The known name nearest to <paramref name="typed"/> (case-insensitive optimal string alignment distance, so a
    /// swap of two letters costs 1), or null when none is within a third of the name's length (at least 2 edits).
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        int allowed = Math.Max(2, typed.Length / 3);
        return known
            .Select(name => (Name: name, Distance: Distance(typed.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>" (did you mean 'X'?)", or empty when nothing is near.</summary>
    public static string Hint(string typed, IEnumerable<string> known) =>
        Nearest(typed, known) is { } nearest ? $" (did you mean '{nearest}'?)" : "";

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
