namespace VaeStream.Worker.CommandLine;

/// <summary>Process exit codes, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A failure of the program or its environment while it ran.</summary>
    public const int Failure = 1;

    /// <summary>Something the user fixes in a file, an argument or a setting.</summary>
    public const int BadInput = 2;
}
