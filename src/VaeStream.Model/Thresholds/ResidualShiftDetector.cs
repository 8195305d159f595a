namespace VaeStream.Model.Thresholds;

/// <summary>
/// Tells when one entity's normal moves for good, from the residuals (value − the model's expected value, in residual
/// scales) of its unflagged events. One model for a fleet takes a host whose level moved into another host's range
/// for that other host's normal, so each event alone looks fine; but the host's residuals, which had a steady mean,
/// now sit at another one. A short exponential mean (<c>shortRows</c>) is compared with a long baseline
/// (<c>20 × shortRows</c>) of the same residuals. Their gap wanders on its own, as the model's error follows the load
/// cycle, so it is measured against its own typical size: a shift is declared, once, when for some feature the gap
/// is at least <c>z</c> times its mean absolute size so far and at least <c>minShift</c> residual scales. The baseline
/// then follows the short mean for <c>3 × shortRows</c> events, so the new level becomes the entity's normal.
/// </summary>
/// <remarks>
/// The per-entity baseline absorbs what the fleet model gets steadily wrong about this entity (a memory base of its
/// own), so that alone is never a shift. The gap's typical size is learnt at the baseline's pace from gaps clipped to
/// three times the size so far, so a shift in progress does not raise its own bar. Nothing is declared before half a
/// baseline of events has been seen.
/// </remarks>
public sealed class ResidualShiftDetector
{
    private const double GapClip = 3;
    private readonly int shortRows;
    private readonly double shortRate;
    private readonly double baselineRate;
    private readonly int armedAfter;
    private readonly int settlingRows;
    private readonly double minShift;
    private readonly double z;
    private readonly double[] baseline;
    private readonly double[] typicalGap;
    private readonly double[] recent;
    private readonly int[] seen;
    private int settling;

    /// <summary>Creates the state of one entity; see the class summary for the parameters.</summary>
    public ResidualShiftDetector(int features, int shortRows, double minShift, double z)
    {
        if (features < 1 || shortRows < 2 || minShift <= 0 || z <= 0)
        {
            throw new ArgumentException($"entity shift: features ≥ 1, shortRows ≥ 2, minShift > 0 and z > 0; got {features}, {shortRows}, {minShift}, {z}.");
        }

        this.shortRows = shortRows;
        shortRate = 1.0 / shortRows;
        baselineRate = 1.0 / (20.0 * shortRows);
        armedAfter = 10 * shortRows;
        settlingRows = 3 * shortRows;
        this.minShift = minShift;
        this.z = z;
        baseline = new double[features];
        typicalGap = new double[features];
        recent = new double[features];
        seen = new int[features];
    }

    /// <summary>
    /// A feature's usual residual for this entity, the baseline: what the model steadily gets wrong about it. It is 0
    /// until a short mean's worth of its events has been seen, and while the baseline is within twice the gap's
    /// typical size: a model's error that follows the load cycle also moves a baseline of a partial cycle, and is not
    /// a bias of the entity.
    /// </summary>
    public double UsualResidual(int feature) =>
        seen[feature] >= shortRows && Math.Abs(baseline[feature]) >= 2 * typicalGap[feature] ? baseline[feature] : 0;

    /// <summary>
    /// Takes one unflagged event's residuals (NaN: the feature was missing); the features that moved, largest first,
    /// on the event at which a shift is declared, otherwise null. Each shift is in residual scales, recent − baseline.
    /// </summary>
    public IReadOnlyList<(int Feature, double Shift)>? Observe(ReadOnlySpan<double> residuals)
    {
        bool settled = settling == 0;
        settling = Math.Max(0, settling - 1);
        List<(int Feature, double Shift)>? moved = null;
        for (int f = 0; f < baseline.Length; f++)
        {
            double r = residuals[f];
            if (!double.IsFinite(r))
            {
                continue;
            }

            int n = ++seen[f];
            double shortStep = Math.Max(1.0 / n, shortRate);
            recent[f] += shortStep * (r - recent[f]);
            if (!settled)
            {
                // Accepting the new level: the baseline follows the short mean; the gap's typical size is left as it
                // was, since the step itself would inflate it.
                baseline[f] += shortStep * (r - baseline[f]);
                continue;
            }

            double baselineStep = Math.Max(1.0 / n, baselineRate);
            baseline[f] += baselineStep * (r - baseline[f]);
            double gap = recent[f] - baseline[f];
            bool armed = n >= armedAfter;
            if (armed && Math.Abs(gap) >= minShift && Math.Abs(gap) >= z * typicalGap[f])
            {
                (moved ??= []).Add((f, gap));
            }

            // Learnt only once the short mean spans its own rows: before that it equals the baseline, and gaps of 0
            // would make a typical size too small.
            int gaps = n - shortRows + 1;
            if (gaps > 0)
            {
                double size = armed ? Math.Min(Math.Abs(gap), GapClip * typicalGap[f]) : Math.Abs(gap);
                typicalGap[f] += Math.Max(1.0 / gaps, baselineRate) * (size - typicalGap[f]);
            }
        }

        if (moved is null)
        {
            return null;
        }

        settling = settlingRows;
        return [.. moved.OrderByDescending(m => Math.Abs(m.Shift))];
    }
}
