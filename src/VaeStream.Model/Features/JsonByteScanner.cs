using System.Buffers;
using System.Runtime.CompilerServices;

namespace VaeStream.Model.Features;

// The bytes of one event and a position in them, with the grammar of FastFeatureWalk's subset of JSON. A scan
// moves past what it checked and returns true; false means the bytes are outside the subset, and the position is
// then of no further use, because the walk gives the whole event up to the reader.
internal ref struct JsonByteScanner
{
    // What ends the plain part of a string: its closing quote, an escape, a control character. DEL is one too,
    // although JSON allows it, so that the fast path never has to know whether the reader does.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F]);

    private readonly ReadOnlySpan<byte> json;
    private int position;

    public JsonByteScanner(ReadOnlySpan<byte> json)
    {
        this.json = json;
    }

    public readonly int Position => position;

    public readonly bool AtEnd => position == json.Length;

    // The byte at the position, if there is one, without moving past it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryPeek(out byte next)
    {
        if (position < json.Length)
        {
            next = json[position];
            return true;
        }

        next = 0;
        return false;
    }

    // Past a byte the caller has already checked with At or TryPeek.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance() => position++;

    // The bytes from start up to the position: a whole token, quotes and all, as a reader over it would see it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ReadOnlySpan<byte> Since(int start) => json[start..position];

    // After a member: whitespace, then the closing bracket (end) or a comma and the next member's whitespace.
    public bool EndOfMember(byte close, out bool end)
    {
        SkipWhitespace();
        end = At(close);
        if (end || At((byte)','))
        {
            position++;
            SkipWhitespace();
            return true;
        }

        return false;
    }

    // A string without escapes, control characters or DEL; the token is what is between the quotes.
    public bool ScanString(out ReadOnlySpan<byte> token)
    {
        int start = position + 1;
        int length = json[start..].IndexOfAny(StringStops);
        if (length < 0 || json[start + length] != (byte)'"')
        {
            token = default;
            return false;
        }

        token = json.Slice(start, length);
        position = start + length + 1;
        return true;
    }

    public bool ScanLiteral(ReadOnlySpan<byte> literal)
    {
        if (!json[position..].StartsWith(literal))
        {
            return false;
        }

        position += literal.Length;
        return true;
    }

    // The JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. What follows is the caller's to check.
    public bool ScanNumber(out ReadOnlySpan<byte> token)
    {
        token = default;
        int start = position;
        if (At((byte)'-'))
        {
            position++;
        }

        if (At((byte)'0'))
        {
            position++;
        }
        else if (!SkipDigits())
        {
            return false;
        }

        if (At((byte)'.'))
        {
            position++;
            if (!SkipDigits())
            {
                return false;
            }
        }

        if (At((byte)'e') || At((byte)'E'))
        {
            position++;
            if (At((byte)'+') || At((byte)'-'))
            {
                position++;
            }

            if (!SkipDigits())
            {
                return false;
            }
        }

        token = json[start..position];
        return true;
    }

    public void SkipWhitespace()
    {
        while (position < json.Length && json[position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            position++;
        }
    }

    public readonly bool At(byte expected) => position < json.Length && json[position] == expected;

    // One or more digits.
    private bool SkipDigits()
    {
        int start = position;
        while (position < json.Length && (uint)(json[position] - '0') <= 9)
        {
            position++;
        }

        return position > start;
    }
}
