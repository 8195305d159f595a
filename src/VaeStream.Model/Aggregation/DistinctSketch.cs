using System.Text;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// Distinct values of one feature in one interval, in bounded memory: a k-minimum-values sketch (Bar-Yossef et al.,
/// 2002) over a 64-bit hash of each value's text. Exact up to <see cref="K"/> distinct values (it then holds them all);
/// beyond, the estimate (K − 1) / (the K-th smallest hash as a fraction of 2^64) has a relative standard error of about
/// 1 / √(K − 2), 6.3%.
/// </summary>
internal sealed class DistinctSketch
{
    /// <summary>Hashes kept: 2 KB per entity and interval.</summary>
    public const int K = 256;

    private readonly SortedSet<ulong> smallest = [];

    // Whether a distinct value was ever left out: until then the set holds every value, and its size is exact.
    private bool saturated;

    public void Add(ulong hash)
    {
        if (smallest.Count < K)
        {
            smallest.Add(hash);
        }
        else if (hash < smallest.Max)
        {
            if (smallest.Add(hash))
            {
                smallest.Remove(smallest.Max);
                saturated = true;
            }
        }
        else if (hash > smallest.Max)
        {
            saturated = true;
        }
    }

    public double Estimate()
    {
        if (!saturated)
        {
            return smallest.Count;
        }

        double fraction = (smallest.Max + 1.0) / 18446744073709551616.0;
        return (K - 1) / fraction;
    }

    /// <summary>FNV-1a over the text, then SplitMix64's finaliser, so that similar values spread over the whole range.</summary>
    public static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    /// <summary><see cref="Hash(ReadOnlySpan{byte})"/> of a string's UTF-8.</summary>
    public static ulong Hash(string text) => Hash(Encoding.UTF8.GetBytes(text));
}
