namespace VaeStream.Model.Detection;

/// <summary>Reusable output buffers for scoring up to <see cref="Capacity"/> rows at once.</summary>
public sealed class ScoreBatch(int capacity, int features)
{
    /// <summary>Rows the buffers hold.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>One score per row.</summary>
    public float[] Scores { get; } = new float[capacity];

    /// <summary>Per row and feature, the share of the score (they sum to the row's score).</summary>
    public float[] Contributions { get; } = new float[capacity * features];

    /// <summary>Per row and feature, the reconstruction in scaled units.</summary>
    public float[] Expected { get; } = new float[capacity * features];
}
