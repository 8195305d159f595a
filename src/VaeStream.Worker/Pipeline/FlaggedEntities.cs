namespace VaeStream.Worker.Pipeline;

/// <summary>
/// Which entities the flagged events of the drift guard's window came from. A fleet drift is a change across the
/// fleet; flags that nearly all come from one entity are that entity's fault or its own shift, which the anomaly
/// messages and <see cref="EntityDriftMonitor"/> deal with. Pipeline thread only.
/// </summary>
internal sealed class FlaggedEntities(int window)
{
    private readonly string?[] entities = new string?[window];
    private readonly bool[] flags = new bool[window];
    private readonly Dictionary<string, int> flaggedBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> eventsBy = new(StringComparer.Ordinal);
    private int next;
    private int filled;
    private int flagged;

    /// <summary>Counts one decision, forgetting the one a window ago.</summary>
    public void Observe(string? entity, bool isFlagged)
    {
        if (filled == entities.Length)
        {
            Count(eventsBy, entities[next], -1);
            if (flags[next])
            {
                Count(flaggedBy, entities[next], -1);
                flagged--;
            }
        }

        Count(eventsBy, entity, 1);
        if (isFlagged)
        {
            Count(flaggedBy, entity, 1);
            flagged++;
        }

        entities[next] = entity;
        flags[next] = isFlagged;
        next = (next + 1) % entities.Length;
        filled = Math.Min(filled + 1, entities.Length);
    }

    /// <summary>The share of the window's flagged events that the entity with the most of them holds; 0 without flags.</summary>
    public double LargestShare => flagged == 0 ? 0 : flaggedBy.Values.Max() / (double)flagged;

    /// <summary>Entities with events in the window.</summary>
    public int Entities => eventsBy.Count;

    /// <summary>Forgets every decision, as the guard does.</summary>
    public void Reset()
    {
        Array.Clear(entities);
        Array.Clear(flags);
        flaggedBy.Clear();
        eventsBy.Clear();
        next = filled = flagged = 0;
    }

    private static void Count(Dictionary<string, int> counts, string? entity, int delta)
    {
        string key = entity ?? string.Empty;
        int count = counts.GetValueOrDefault(key) + delta;
        if (count == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }
}
