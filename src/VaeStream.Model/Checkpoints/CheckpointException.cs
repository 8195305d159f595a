namespace VaeStream.Model.Checkpoints;

/// <summary>A checkpoint that cannot be used: corrupt, truncated, or made for another schema.</summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CheckpointException(string message, Exception inner) : base(message, inner)
    {
    }
}
