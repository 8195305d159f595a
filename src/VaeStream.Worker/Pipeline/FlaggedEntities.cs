namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Which entities the flagged events of the drift guard's window came from. A fleet drift is a change across the
/// fleet; flags that nearly all come from one entity are that entity's fault or its own shift, which the anomaly
/// messages and <see cref="EntityDriftMonitor"/> deal with. Each event costs two stores; the counting is done when
/// asked, once per drift the guard declares. Pipeline thread only.
/// </summary>
internal sealed class FlaggedEntities(int window)
{
    private readonly string?[] entities = new string?[window];
    private readonly bool[] flags = new bool[window];
    private int next;
    private int filled;

    /// <summary>Records one decision in place of the one a window ago.</summary>
    public void Observe(string? entity, bool flagged)
    {
        entities[next] = entity;
        flags[next] = flagged;
        next = (next + 1) % entities.Length;
        filled = Math.Min(filled + 1, entities.Length);
    }

    /// <summary>
    /// Whether the window holds more than one entity's events and one entity raised more than
    /// <paramref name="share"/> of its flags.
    /// </summary>
    public bool OneEntityRaisedMoreThan(double share)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var flaggedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        int flagged = 0;
        for (int i = 0; i < filled; i++)
        {
            string key = entities[i] ?? string.Empty;
            seen.Add(key);
            if (flags[i])
            {
                flaggedBy[key] = flaggedBy.GetValueOrDefault(key) + 1;
                flagged++;
            }
        }

        return seen.Count > 1 && flagged > 0 && flaggedBy.Values.Max() > share * flagged;
    }

    /// <summary>Forgets every decision, as the guard does.</summary>
    public void Reset() => next = filled = 0;
}
