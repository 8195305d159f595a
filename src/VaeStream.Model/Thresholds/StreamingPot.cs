using VaeStream.Model.Scaling;

namespace VaeStream.Model.Thresholds;

/// <summary>
/// SPOT and DSPOT (Siffer et al., KDD 2017): a POT threshold that keeps learning from the stream's own peaks,
/// so a decision at time t uses only the scores up to t. With <c>depth</c> d &gt; 0 (DSPOT) each score is first
/// taken relative to the mean of the last d scores that raised no alarm, so the threshold follows a drifting level.
/// An alarm is never learned from: it updates neither the peaks nor the local mean. The peaks are bounded (the
/// oldest is dropped, as libspot does), which also lets the tail and the peak rate follow the stream. The GPD is refitted once a tenth
/// as many new peaks as it holds (at least 10) have arrived: a Grimshaw fit on 1,000 peaks takes milliseconds, and a
/// tenth more peaks barely moves it.
/// </summary>
public sealed class StreamingPot
{
    private const int MinimumPeaks = 10;

    private readonly double risk;
    private readonly int maxPeaks;
    private readonly Queue<(double Excess, long At)> peaks = new();
    private readonly Queue<double> recent = new();
    private readonly int depth;
    private double recentSum;
    private long observed;
    private double relativeThreshold;
    private int peaksSinceFit;

    /// <summary>
    /// Calibrates on <paramref name="calibration"/> scores in stream order: the initial threshold t is their
    /// <paramref name="initialQuantile"/> (relative to the local mean for DSPOT), the peaks their excesses over t.
    /// </summary>
    public StreamingPot(IReadOnlyList<double> calibration, double risk, double initialQuantile, int depth = 0, int maxPeaks = 1000)
    {
        if (depth < 0 || calibration.Count < depth + MinimumPeaks || risk is <= 0 or >= 1 || initialQuantile is <= 0 or >= 1 || maxPeaks < MinimumPeaks)
        {
            throw new ArgumentException(
                $"streaming POT needs risk and initial quantile in (0, 1), depth ≥ 0, maxPeaks ≥ {MinimumPeaks} and more than depth + {MinimumPeaks} calibration scores; got risk {risk}, quantile {initialQuantile}, depth {depth}, {calibration.Count} scores.");
        }

        this.risk = risk;
        this.depth = depth;
        this.maxPeaks = maxPeaks;
        var relative = new double[calibration.Count - depth];
        for (int i = 0; i < calibration.Count; i++)
        {
            if (i >= depth)
            {
                relative[i - depth] = calibration[i] - LocalMean;
            }

            Remember(calibration[i]);
        }

        double[] sorted = [.. relative];
        Array.Sort(sorted);
        InitialThreshold = Quantiles.Sorted(sorted, initialQuantile);
        for (int i = 0; i < relative.Length; i++)
        {
            observed++;
            if (relative[i] > InitialThreshold)
            {
                AddPeak(relative[i] - InitialThreshold);
            }
        }

        Refit();
    }

    /// <summary>t, the level above which a score's excess is a peak (relative to the local mean for DSPOT).</summary>
    public double InitialThreshold { get; }

    /// <summary>The threshold the next score is compared with, in score units.</summary>
    public double Threshold => relativeThreshold + LocalMean;

    /// <summary>Peaks currently held.</summary>
    public int Peaks => peaks.Count;

    private double LocalMean => depth == 0 || recent.Count == 0 ? 0 : recentSum / recent.Count;

    /// <summary>Decides on <paramref name="score"/> with the threshold in force, then learns from it unless it was an alarm.</summary>
    public bool Observe(double score)
    {
        double v = score - LocalMean;
        if (v > relativeThreshold)
        {
            return true;
        }

        observed++;
        if (v > InitialThreshold)
        {
            AddPeak(v - InitialThreshold);
            if (++peaksSinceFit >= Math.Max(MinimumPeaks, peaks.Count / 10))
            {
                Refit();
            }
        }

        Remember(score);
        return false;
    }

    private void AddPeak(double excess)
    {
        peaks.Enqueue((excess, observed));
        if (peaks.Count > maxPeaks)
        {
            peaks.Dequeue();
        }
    }

    // n of q·n/N_t: the observations the peaks held were drawn from. Once old peaks have been dropped, that is the
    // span since the oldest one kept, so the peak rate N_t/n follows the stream as the peaks do.
    private long Observations => peaks.Count < maxPeaks ? observed : observed - peaks.Peek().At + 1;

    private void Remember(double score)
    {
        if (depth == 0)
        {
            return;
        }

        recent.Enqueue(score);
        recentSum += score;
        if (recent.Count > depth)
        {
            recentSum -= recent.Dequeue();
        }
    }

    // z_q = t + (σ/γ)((q·n/N_t)^(−γ) − 1), or t − σ·log(q·n/N_t) when γ = 0; with too few peaks for a fit, the
    // largest excess seen stands in for the tail.
    private void Refit()
    {
        peaksSinceFit = 0;
        if (peaks.Count < MinimumPeaks)
        {
            relativeThreshold = InitialThreshold + (peaks.Count == 0 ? 0 : peaks.Max(p => p.Excess));
            return;
        }

        (double shape, double scale, _) = GpdFit.Fit([.. peaks.Select(p => p.Excess)]);
        double ratio = risk * Observations / peaks.Count;
        relativeThreshold = Math.Abs(shape) < 1e-12
            ? InitialThreshold - scale * Math.Log(ratio)
            : InitialThreshold + scale / shape * (Math.Pow(ratio, -shape) - 1);
    }
}
