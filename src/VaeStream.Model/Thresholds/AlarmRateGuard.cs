namespace VaeStream.Model.Thresholds;

/// <summary>
/// Tells a lasting change of level from a burst of anomalies by the alarm rate: when the share of flagged events over
/// the last <c>window</c> events has stayed above <c>factor</c> × the risk q for <c>hold</c> events in a row, the
/// stream has drifted. A detector that kept flagging would then page on every event; instead, drift is declared
/// once and the caller retrains on recent data, so the new level becomes the new normal. A burst of B alarms keeps
/// the window above the limit for about B + window events, so a burst shorter than hold − window events (an
/// incident) is left to raise its alarms.
/// </summary>
public sealed class AlarmRateGuard
{
    private readonly bool[] recent;
    private readonly double limit;
    private readonly int hold;
    private int next;
    private int filled;
    private int flagged;
    private int above;

    /// <summary>Creates a guard; see the class summary for the parameters.</summary>
    public AlarmRateGuard(double risk, double factor, int window, int hold)
    {
        if (risk is <= 0 or >= 1 || factor < 1 || window < 1 || hold < 0)
        {
            throw new ArgumentException($"drift guard: risk must be in (0, 1), factor ≥ 1, window ≥ 1 and hold ≥ 0; got {risk}, {factor}, {window}, {hold}.");
        }

        recent = new bool[window];
        limit = Math.Min(1, factor * risk);
        this.hold = hold;
    }

    /// <summary>The flagged share over the last window of events.</summary>
    public double FlaggedShare => filled == 0 ? 0 : flagged / (double)filled;

    /// <summary>
    /// Counts one decision; true once, on the event at which drift is declared. The guard then starts afresh, as the
    /// caller is expected to retrain.
    /// </summary>
    public bool Observe(bool alarm)
    {
        flagged += (alarm ? 1 : 0) - (filled == recent.Length && recent[next] ? 1 : 0);
        recent[next] = alarm;
        next = (next + 1) % recent.Length;
        filled = Math.Min(filled + 1, recent.Length);
        above = filled == recent.Length && FlaggedShare > limit ? above + 1 : 0;
        if (above <= hold || filled < recent.Length)
        {
            return false;
        }

        Reset();
        return true;
    }

    /// <summary>Forgets every decision, as after a retrain.</summary>
    public void Reset()
    {
        Array.Clear(recent);
        next = filled = flagged = above = 0;
    }
}
