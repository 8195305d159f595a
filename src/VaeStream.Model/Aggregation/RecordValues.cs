namespace VaeStream.Model.Aggregation;

/// <summary>What one record gives each feature: whether it matched, and its value or hashed value.</summary>
public sealed class RecordValues(int features)
{
    /// <summary>Per feature: the record counts for it.</summary>
    public readonly bool[] Matched = new bool[features];

    /// <summary>Per feature: the value, NaN for count and distinct.</summary>
    public readonly double[] Values = new double[features];

    /// <summary>Per feature: for distinct, the hash of the value.</summary>
    public readonly ulong[] Hashes = new ulong[features];

    /// <summary>Whether any feature matched: a record no feature selects (another collectd plugin) is not used.</summary>
    public bool Any => Array.IndexOf(Matched, true) >= 0;
}
