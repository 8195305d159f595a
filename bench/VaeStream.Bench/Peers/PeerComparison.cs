using VaeStream.Evaluation;
using VaeStream.Evaluation.Datasets;
using VaeStream.Model.Detection;
using VaeStream.Worker.Hosting;

namespace VaeStream.Bench.Peers;

/// <summary>Mean figures of one detector on one data set.</summary>
internal sealed record PeerSummary(string Set, string Detector, int Entities, double F1, double PaF1, double AucPr, double TrainSeconds, double ScoreEventsPerSecond);

/// <summary>The project's VAE and ML.NET's RandomizedPca on the shared SMD and ASD sets, entity by entity.</summary>
internal static class PeerComparison
{
    /// <summary>PCA rank: about the number of components that explain 90% of the variance on these sets.</summary>
    public const int PcaRank = 10;

    public static List<PeerSummary> Run(string sharedData, TextWriter log)
    {
        var summaries = new List<PeerSummary>();
        DetectorSettings vaeSettings = DetectorSettings.Load(VaeStreamHostingExtensions.ResolvePath("config/model.json"));
        foreach ((string set, string folder) in new[] { ("SMD", Path.Combine(sharedData, "SMD", "ServerMachineDataset")), ("ASD", Path.Combine(sharedData, "ASD")) })
        {
            IReadOnlyList<LabelledEntity> entities = LabelledEntity.Discover(folder);
            var pca = entities.Select(e => RandomizedPcaPeer.Evaluate(e, PcaRank)).ToList();
            summaries.Add(new PeerSummary(set, $"ML.NET RandomizedPca (rank {PcaRank}, q99.5)", pca.Count, pca.Average(r => r.Point.F1), pca.Average(r => r.Adjusted.F1),
                pca.Average(r => r.AveragePrecision), pca.Sum(r => r.TrainSeconds), pca.Sum(r => r.TestRows) / pca.Sum(r => r.ScoreSeconds)));
            log.WriteLine($"{set} RandomizedPca: F1 {summaries[^1].F1:F3}, AUC-PR {summaries[^1].AucPr:F3}, {summaries[^1].ScoreEventsPerSecond:N0} events/s");

            var vae = entities.Select(e => EntityEvaluator.Evaluate(e, vaeSettings).Vae).ToList();
            summaries.Add(new PeerSummary(set, "VaeStream VAE (config/model.json: window 10, POT)", vae.Count, vae.Average(r => r.Point.F1), vae.Average(r => r.Adjusted.F1),
                vae.Average(r => r.AveragePrecision), vae.Sum(r => r.TrainSeconds), vae.Sum(r => r.TestRows) / vae.Sum(r => r.ScoreSeconds)));
            log.WriteLine($"{set} VAE: F1 {summaries[^1].F1:F3}, AUC-PR {summaries[^1].AucPr:F3}, {summaries[^1].ScoreEventsPerSecond:N0} events/s");
        }

        return summaries;
    }
}
