namespace VaeStream.Worker.Operations;

/// <summary>One finished retrain.</summary>
/// <param name="Version">The model version it would publish.</param>
/// <param name="Accepted">Whether it went live.</param>
/// <param name="Seconds">Training and validation wall time.</param>
/// <param name="Rows">Rows it trained on.</param>
/// <param name="StartedAt">Stopwatch timestamp of the start.</param>
/// <param name="FinishedAt">Stopwatch timestamp of the end.</param>
/// <param name="Reason">Why it was rejected or failed; null when accepted.</param>
public sealed record RetrainRecord(int Version, bool Accepted, double Seconds, int Rows, long StartedAt = 0, long FinishedAt = 0, string? Reason = null);
