namespace VaeStream.Model.Features;

/// <summary>Rows of a row-major array of <c>width</c> values each, as tables and prepared model inputs hold them.</summary>
public static class RowMajor
{
    /// <summary>A new array of the rows <paramref name="rows"/> of <paramref name="values"/>, in that order.</summary>
    public static float[] Gather(ReadOnlySpan<float> values, int width, IReadOnlyList<int> rows)
    {
        float[] gathered = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            values.Slice(rows[i] * width, width).CopyTo(gathered.AsSpan(i * width));
        }

        return gathered;
    }
}
