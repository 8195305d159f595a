using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Prometheus;

namespace VaeStream.Worker.Operations;

/// <summary>
/// Per-topic running totals, counted on the pipeline thread and copied into Prometheus counters at each scrape. The
/// copy is what keeps a scrape consistent: totals read later in the pipeline's order first (flagged, then scored,
/// then consumed) can never show more scored than consumed, which a live counter next to a copied one did.
/// </summary>
internal sealed class TopicTotals
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> totals = new(StringComparer.Ordinal);

    public void Add(string topic, long count) => Interlocked.Add(ref totals.GetOrAdd(topic, _ => new StrongBox<long>()).Value, count);

    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        totals.Select(t => new KeyValuePair<string, long>(t.Key, Interlocked.Read(ref t.Value.Value))).ToList();

    /// <summary>Raises each topic's series of <paramref name="counter"/> to its total in <paramref name="snapshot"/>.</summary>
    public static void CopyTo(Counter counter, IEnumerable<KeyValuePair<string, long>> snapshot)
    {
        foreach ((string topic, long count) in snapshot)
        {
            counter.WithLabels(topic).IncTo(count);
        }
    }
}
