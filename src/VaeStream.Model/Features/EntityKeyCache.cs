using System.Text;

namespace VaeStream.Model.Features;

// The entity key's string, made once per entity rather than once per event: a few hundred hosts send every event,
// and a string per event was a tenth of the fast path's time. Slots are replaced whole, so a race between threads
// costs at most a string made again, never a wrong one; the keys are compared as bytes before one is reused.
internal static class EntityKeyCache
{
    private const int Slots = 1024;
    private const int MaxCachedBytes = 64;

    private static readonly Entry?[] Entries = new Entry?[Slots];

    // The string Encoding.UTF8.GetString makes of valid UTF-8 bytes, the same one each time for the same bytes.
    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        uint hash = 2_166_136_261;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 16_777_619;
        }

        ref Entry? slot = ref Entries[hash % Slots];
        Entry? entry = slot;
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Text;
        }

        string text = Encoding.UTF8.GetString(utf8);
        slot = new Entry(utf8.ToArray(), text);
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
