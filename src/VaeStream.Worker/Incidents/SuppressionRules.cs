using VaeStream.Worker.Pipeline;

namespace VaeStream.Worker.Incidents;

/// <summary>
/// The configured reasons an anomaly does not count towards an incident: a muted entity, a muted leading feature,
/// or a leading feature near its expected value. Each suppression is counted by rule, never dropped in silence.
/// </summary>
internal sealed class SuppressionRules(IncidentOptions options, Action<string> suppressed)
{
    private readonly HashSet<string> mutedEntities = new(options.MutedEntities, StringComparer.Ordinal);
    private readonly HashSet<string> mutedFeatures = new(options.MutedFeatures, StringComparer.Ordinal);

    public bool Suppresses(string entity, AnomalyPoint anomaly)
    {
        string? rule = Rule(entity, anomaly);
        if (rule is not null)
        {
            suppressed(rule);
        }

        return rule is not null;
    }

    public void Count(string rule) => suppressed(rule);

    private string? Rule(string entity, AnomalyPoint anomaly)
    {
        if (mutedEntities.Contains(entity))
        {
            return "muted_entity";
        }

        if (anomaly.Contributions.Count == 0)
        {
            return null;
        }

        FeatureContribution leader = anomaly.Contributions[0];
        if (mutedFeatures.Contains(leader.Feature))
        {
            return "muted_feature";
        }

        if (options.NearExpected.TryGetValue(leader.Feature, out NearExpectedRule? near))
        {
            double gap = Math.Abs(leader.Value - leader.Expected);
            if ((near.Absolute > 0 && gap <= near.Absolute) || (near.Relative > 0 && gap <= near.Relative * Math.Abs(leader.Expected)))
            {
                return "near_expected";
            }
        }

        return null;
    }
}
