using System.Text.Json.Serialization;

namespace VaeStream.Model.Thresholds;

/// <summary>How the anomaly threshold is chosen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ThresholdMethod>))]
public enum ThresholdMethod
{
    /// <summary>Peaks over threshold: a GPD fitted to the tail of calibration scores (Siffer et al., KDD 2017).</summary>
    Pot,

    /// <summary>An empirical quantile of the calibration scores.</summary>
    Quantile,

    /// <summary>A fixed value.</summary>
    Fixed,
}

/// <summary>Which scores calibrate the threshold. Test labels never do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CalibrationSource>))]
public enum CalibrationSource
{
    /// <summary>The held-out validation tail of the training rows: scores the model did not fit.</summary>
    ValidationTail,

    /// <summary>All training rows, the fitted ones included.</summary>
    Training,
}

/// <summary>What a streaming replay compares each row with while a model is live.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamingThreshold>))]
public enum StreamingThreshold
{
    /// <summary>
    /// The live model's own threshold, fitted when it was trained; a retrain that swaps a model in brings its own.
    /// This is what the worker does.
    /// </summary>
    Model,

    /// <summary>SPOT (DSPOT with a streaming depth): starts from the live model's calibration scores and learns from the stream's peaks.</summary>
    Spot,
}

/// <summary>Threshold settings.</summary>
public sealed record ThresholdOptions
{
    /// <summary>The method.</summary>
    public ThresholdMethod Method { get; init; } = ThresholdMethod.Pot;

    /// <summary>Which scores calibrate it.</summary>
    public CalibrationSource CalibrateOn { get; init; } = CalibrationSource.ValidationTail;

    /// <summary>POT risk q: the tail probability the threshold stands for.</summary>
    public double Risk { get; init; } = 1e-3;

    /// <summary>POT initial threshold t, as a quantile of the calibration scores.</summary>
    public double InitialQuantile { get; init; } = 0.98;

    /// <summary>
    /// POT: the largest plausible GPD shape γ. Reconstruction-error scores have roughly exponential tails (γ ≈ 0);
    /// a much heavier fitted tail means the calibration scores hold anomalies, which are then trimmed, largest
    /// first, until the fit is plausible. Set it high (e.g. 100) to turn trimming off.
    /// </summary>
    public double MaxShape { get; init; } = 1.0;

    /// <summary>
    /// POT: the smallest GPD shape γ the fit may take; below it the shape is held there and the scale refitted. A
    /// score's tail has no end (a feature can move arbitrarily far), so its γ is 0 or more. A negative fit on the
    /// hundred-odd peaks of a calibration set is sampling noise, and it puts the tail's end just above the largest
    /// calibration score, so normal scores a little beyond what the calibration rows held raise false alarms.
    /// <see cref="NoShapeFloor"/> (−1) lets the fit go where it will.
    /// </summary>
    public double MinShape { get; init; }

    /// <summary>The <see cref="MinShape"/> that sets no floor: a GPD shape below −1 has no maximum-likelihood fit.</summary>
    public const double NoShapeFloor = -1;

    /// <summary>Quantile for <see cref="ThresholdMethod.Quantile"/>.</summary>
    public double Quantile { get; init; } = 0.995;

    /// <summary>The threshold for <see cref="ThresholdMethod.Fixed"/>.</summary>
    public double Value { get; init; }

    /// <summary>The streaming replay's threshold: the live model's own (the worker's rule), or SPOT/DSPOT.</summary>
    public StreamingThreshold Streaming { get; init; } = StreamingThreshold.Model;

    /// <summary>
    /// Streaming threshold <see cref="StreamingThreshold.Spot"/> (the streaming replay, and <c>score --mode streaming</c>): 0 for SPOT, or DSPOT's depth d, the number of
    /// recent unflagged scores whose mean each score is taken relative to, so the threshold follows a drifting level.
    /// </summary>
    public int StreamingDepth { get; init; }

    /// <summary>The alarm-rate guard of the streaming threshold (<see cref="AlarmRateGuard"/>).</summary>
    public DriftOptions Drift { get; init; } = new();

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public ThresholdOptions Validate()
    {
        if (Risk is <= 0 or >= 1)
        {
            throw new ArgumentException($"threshold.risk: {Risk} is out of range; allowed (0, 1).");
        }

        if (InitialQuantile is <= 0 or >= 1 || Quantile is <= 0 or > 1)
        {
            throw new ArgumentException("threshold.initialQuantile must be in (0, 1) and threshold.quantile in (0, 1].");
        }

        if (!(MinShape >= NoShapeFloor && MinShape <= MaxShape))
        {
            throw new ArgumentException($"threshold.minShape: {MinShape} is out of range; allowed {NoShapeFloor}..threshold.maxShape ({MaxShape}).");
        }

        Drift.Validate();
        if (StreamingDepth is < 0 or > 100_000)
        {
            throw new ArgumentException($"threshold.streamingDepth: {StreamingDepth} is out of range; allowed 0..100000.");
        }

        return Method == ThresholdMethod.Fixed && !double.IsFinite(Value)
            ? throw new ArgumentException($"threshold.value: {Value} must be a finite number for the Fixed method.")
            : this;
    }
}

/// <summary>
/// When a storm of alarms is a drift rather than an incident: the flagged share over the last <see cref="Window"/>
/// events has stayed above <see cref="Factor"/> × the risk for <see cref="Hold"/> events. On drift, the streaming
/// replay retrains on the last <see cref="RetrainRows"/> rows it has seen, flagged ones included.
/// </summary>
public sealed record DriftOptions
{
    /// <summary>How many times the risk the flagged share may reach before it counts as elevated.</summary>
    public double Factor { get; init; } = 50;

    /// <summary>Events over which the flagged share is measured.</summary>
    public int Window { get; init; } = 500;

    /// <summary>Events the share must stay elevated before drift is declared.</summary>
    public int Hold { get; init; } = 1_000;

    /// <summary>Most recent rows a drift retrain learns from.</summary>
    public int RetrainRows { get; init; } = 2_000;

    /// <summary>Turns the guard off.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Checks the values; the message names the key and the allowed range.</summary>
    public DriftOptions Validate() =>
        Factor < 1 || Window < 1 || Hold < 0 || RetrainRows < 100
            ? throw new ArgumentException(
                $"threshold.drift: factor must be ≥ 1, window ≥ 1, hold ≥ 0 and retrainRows ≥ 100; found {Factor}, {Window}, {Hold} and {RetrainRows}.")
            : this;
}

/// <summary>A fitted threshold and how it was obtained; saved in the checkpoint.</summary>
/// <param name="Method">The method that produced it.</param>
/// <param name="Value">Scores above this are anomalies.</param>
/// <param name="CalibrationCount">Scores it was fitted on.</param>
/// <param name="InitialThreshold">POT: t.</param>
/// <param name="PeakCount">POT: N_t.</param>
/// <param name="Shape">POT: GPD shape γ.</param>
/// <param name="Scale">POT: GPD scale σ.</param>
/// <param name="Trimmed">POT: calibration scores set aside as presumed anomalies.</param>
public sealed record ThresholdState(ThresholdMethod Method, double Value, int CalibrationCount,
    double? InitialThreshold = null, int? PeakCount = null, double? Shape = null, double? Scale = null, int Trimmed = 0);
