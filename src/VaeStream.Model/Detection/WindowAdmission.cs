namespace VaeStream.Model.Detection;

/// <summary>
/// Which scored rows a retraining window learns from: every row scoring at most <c>factor</c> × the threshold in
/// force, flagged ones included. Far above the threshold a row is an anomaly the next model must not learn. Just above
/// it lies the normal tail, which the next model's threshold is calibrated on. A window cut at the threshold itself
/// loses that tail, so each retrain set a lower threshold than the model before it, and false alarms grew with every
/// retrain. On 200,000 anomaly-free demo events with a retrain every 10,000 (risk 0.1%), such a window gave 1,118
/// false alarms, with each model's share rising from 0.27% to 0.6–1.0%; a window up to twice the threshold gave 301,
/// 0.07–0.22% for every model, and no normal event there scored above twice its threshold (README, "Retraining
/// window").
/// </summary>
public static class WindowAdmission
{
    /// <summary>The default factor: rows up to twice the threshold join the window.</summary>
    public const double DefaultFactor = 2.0;

    /// <summary>Whether a row with <paramref name="score"/> under <paramref name="threshold"/> joins the window.</summary>
    public static bool Admits(double score, double threshold, double factor) => score <= threshold * factor;
}
