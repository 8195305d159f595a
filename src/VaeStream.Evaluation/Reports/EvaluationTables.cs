namespace VaeStream.Evaluation.Reports;

/// <summary>The four tables of a report: each detector in each mode, with one row per entity.</summary>
/// <param name="Vae">VAE, batch mode.</param>
/// <param name="VaeStreaming">VAE, streaming mode.</param>
/// <param name="Baseline">pca_rw, batch mode.</param>
/// <param name="BaselineStreaming">pca_rw, streaming mode.</param>
public sealed record EvaluationTables(IReadOnlyList<EntityEvaluation> Vae, IReadOnlyList<EntityEvaluation> VaeStreaming,
    IReadOnlyList<EntityEvaluation> Baseline, IReadOnlyList<EntityEvaluation> BaselineStreaming)
{
    /// <summary>Detector, mode and rows of each table, in report order.</summary>
    public IEnumerable<(string Detector, string Mode, IReadOnlyList<EntityEvaluation> Rows)> Sections()
    {
        yield return ("vae", "batch", Vae);
        yield return ("vae", "streaming", VaeStreaming);
        yield return ("pca_rw", "batch", Baseline);
        yield return ("pca_rw", "streaming", BaselineStreaming);
    }
}
