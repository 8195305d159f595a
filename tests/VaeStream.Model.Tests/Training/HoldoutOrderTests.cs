using VaeStream.Model.Training;

namespace VaeStream.Model.Tests.Training;

public sealed class HoldoutOrderTests
{
    [Fact]
    public void The_tail_keeps_the_rows_own_order()
    {
        Assert.Null(HoldoutOrder.Of(1_000, 200, HoldoutLayout.Tail));
    }

    [Fact]
    public void A_spread_holdout_takes_the_end_of_each_tenth_and_puts_it_last_in_order()
    {
        int[] order = HoldoutOrder.Of(1_000, 200, HoldoutLayout.Spread)!;

        Assert.Equal(Enumerable.Range(0, 1_000), order.Order());
        int[] fitted = order[..800], heldOut = order[800..];
        Assert.Equal(fitted.Order(), fitted);
        Assert.Equal(heldOut.Order(), heldOut);
        // Each tenth of the rows gives its last 20: rows 80-99, 180-199, ... 980-999.
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(k => Enumerable.Range(100 * k + 80, 20)), heldOut);
    }

    [Fact]
    public void Uneven_counts_still_hold_out_exactly_the_asked_number_of_rows()
    {
        int[] order = HoldoutOrder.Of(1_003, 207, HoldoutLayout.Spread)!;

        Assert.Equal(Enumerable.Range(0, 1_003), order.Order());
        int[] heldOut = order[^207..];
        Assert.Equal(heldOut.Distinct().Count(), heldOut.Length);
        Assert.All(Enumerable.Range(0, 10), k => Assert.InRange(heldOut.Count(r => r * 10 / 1_003 == k), 20, 21));
    }

    [Fact]
    public void Fewer_held_out_rows_than_blocks_fall_back_to_the_tail()
    {
        Assert.Null(HoldoutOrder.Of(40, 8, HoldoutLayout.Spread));
    }
}
