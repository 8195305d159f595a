namespace VaeStream.Model.Training;

/// <summary>The order in which a trainer takes the rows: the rows it fits first, then the held-out ones.</summary>
public static class HoldoutOrder
{
    /// <summary>Blocks a <see cref="HoldoutLayout.Spread"/> holdout is cut into.</summary>
    public const int SpreadBlocks = 10;

    /// <summary>
    /// Row indices of <paramref name="rows"/> rows: the fitted rows in their order, then the
    /// <paramref name="heldOutRows"/> held-out rows in theirs. Null when the rows' own order holds out their tail: for
    /// <see cref="HoldoutLayout.Tail"/>, and when fewer rows are held out than there are blocks.
    /// </summary>
    public static int[]? Of(int rows, int heldOutRows, HoldoutLayout layout)
    {
        if (layout == HoldoutLayout.Tail || heldOutRows < SpreadBlocks)
        {
            return null;
        }

        // Each tenth of the rows holds out its last rows, a tenth of the held-out count (rounded so they add up).
        bool[] heldOut = new bool[rows];
        for (int k = 0; k < SpreadBlocks; k++)
        {
            int end = (int)((long)rows * (k + 1) / SpreadBlocks);
            int count = (int)((long)heldOutRows * (k + 1) / SpreadBlocks) - (int)((long)heldOutRows * k / SpreadBlocks);
            for (int r = end - count; r < end; r++)
            {
                heldOut[r] = true;
            }
        }

        return [.. Enumerable.Range(0, rows).Where(r => !heldOut[r]), .. Enumerable.Range(0, rows).Where(r => heldOut[r])];
    }
}
