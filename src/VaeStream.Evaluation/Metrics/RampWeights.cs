namespace VaeStream.Evaluation.Metrics;

// The clipped ramp weight of an unlabelled point, from the segment ends and starts near it, in O(1):
// prefix counts of segment ends and starts, and the nearest end before and start after each point.
internal sealed class RampWeights
{
    private readonly int[] _endsBefore;
    private readonly int[] _startsBefore;
    private readonly int[] _lastEnd;
    private readonly int[] _nextStart;

    public RampWeights(List<(int Start, int End)> segments, int n)
    {
        _endsBefore = new int[n + 1];
        _startsBefore = new int[n + 1];
        _lastEnd = new int[n];
        _nextStart = new int[n];
        bool[] isEnd = new bool[n];
        bool[] isStart = new bool[n];
        foreach ((int start, int end) in segments)
        {
            isStart[start] = true;
            isEnd[end] = true;
        }

        int lastEnd = -1;
        for (int t = 0; t < n; t++)
        {
            _endsBefore[t + 1] = _endsBefore[t] + (isEnd[t] ? 1 : 0);
            _startsBefore[t + 1] = _startsBefore[t] + (isStart[t] ? 1 : 0);
            _lastEnd[t] = lastEnd;
            lastEnd = isEnd[t] ? t : lastEnd;
        }

        int nextStart = n;
        for (int t = n - 1; t >= 0; t--)
        {
            _nextStart[t] = nextStart;
            nextStart = isStart[t] ? t : nextStart;
        }
    }

    // min(1, Σ sqrt(1 − d/w)) over the segment ends at most half before t and the starts at most half after it.
    public double At(int t, int half, int w)
    {
        int n = _lastEnd.Length;
        int ends = _endsBefore[t] - _endsBefore[Math.Max(t - half, 0)];
        int starts = _startsBefore[Math.Min(t + half, n - 1) + 1] - _startsBefore[t + 1];

        // Each term is at least sqrt(1 − half/w) ≥ sqrt(1/2), so two of them already clip at 1;
        // a single term is below 1 and is the reference's value exactly.
        if (ends + starts >= 2)
        {
            return 1.0;
        }

        if (ends == 1)
        {
            return Math.Sqrt(1 - ((double)(t - _lastEnd[t]) / w));
        }

        return starts == 1 ? Math.Sqrt(1 - ((double)(_nextStart[t] - t) / w)) : 0.0;
    }
}
