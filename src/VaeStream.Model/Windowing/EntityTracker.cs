namespace VaeStream.Model.Windowing;

/// <summary>
/// Per-entity state with a bound: when a new entity would exceed <c>maxEntities</c>, the least recently seen one
/// is evicted (and counted). Not thread-safe; one pipeline thread owns it.
/// </summary>
public sealed class EntityTracker<TState>(int maxEntities, Func<TState> create, Action<string, TState>? evicted = null)
    where TState : class
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TState State)>> index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TState State)> recency = new();

    /// <summary>Entities evicted since creation.</summary>
    public long Evictions { get; private set; }

    /// <summary>Entities currently tracked.</summary>
    public int Count => index.Count;

    /// <summary>Every tracked entity's state, most recently seen first.</summary>
    public IEnumerable<TState> States => recency.Select(static node => node.State);

    /// <summary>The entity's state if it is tracked; does not count as seeing it.</summary>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TState state)
    {
        bool found = index.TryGetValue(key, out LinkedListNode<(string Key, TState State)>? node);
        state = found ? node!.Value.State : null;
        return found;
    }

    /// <summary>Forgets every entity (not counted as evictions).</summary>
    public void Clear()
    {
        index.Clear();
        recency.Clear();
    }

    /// <summary>The entity's state, created (and the oldest entity evicted) when it is new.</summary>
    public TState Get(string key)
    {
        if (index.TryGetValue(key, out LinkedListNode<(string Key, TState State)>? node))
        {
            recency.Remove(node);
            recency.AddFirst(node);
            return node.Value.State;
        }

        if (index.Count >= maxEntities)
        {
            LinkedListNode<(string Key, TState State)> oldest = recency.Last!;
            recency.RemoveLast();
            index.Remove(oldest.Value.Key);
            Evictions++;
            evicted?.Invoke(oldest.Value.Key, oldest.Value.State);
        }

        node = recency.AddFirst((key, create()));
        index[key] = node;
        return node.Value.State;
    }
}
