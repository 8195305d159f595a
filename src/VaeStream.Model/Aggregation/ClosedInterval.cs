using VaeStream.Model.Features;

namespace VaeStream.Model.Aggregation;

/// <summary>
/// One entity's interval, closed: its row of features (transformed, NaN where the interval gave no value) and the
/// members (the worker's input events) whose offsets complete once the row's outputs are acknowledged.
/// </summary>
public sealed class ClosedInterval<TMember>
{
    internal ClosedInterval(string? entity, DateTimeOffset start, DateTimeOffset end, float[] row, double[] values, long records,
        IReadOnlyList<TMember> members, FeatureExtractionException? failure)
    {
        Entity = entity;
        Start = start;
        End = end;
        Row = row;
        Values = values;
        Records = records;
        Members = members;
        Failure = failure;
    }

    /// <summary>The entity key, or null when the schema has none.</summary>
    public string? Entity { get; }

    /// <summary>Start of the interval, inclusive.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>End of the interval, exclusive.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The features, in schema order, transformed.</summary>
    public float[] Row { get; }

    /// <summary>The features in the events' own units, before their transforms (NaN where there was no value).</summary>
    public double[] Values { get; }

    /// <summary>Records that fell in the interval.</summary>
    public long Records { get; }

    /// <summary>The members added to the interval, each once.</summary>
    public IReadOnlyList<TMember> Members { get; }

    /// <summary>Why the row cannot be used (an aggregate outside its transform's domain), or null.</summary>
    public FeatureExtractionException? Failure { get; }

    /// <summary>
    /// Why the row cannot be scored: <see cref="Failure"/>, or a feature whose policy is Reject without a value; null
    /// when it can.
    /// </summary>
    public FeatureExtractionException? Problem(FeatureSchema schema) => Failure ?? JsonFieldValues.MissingRequired(schema, Row, Entity);
}
