namespace VaeStream.Model.Tests;

/// <summary>Test classes that must not run in parallel with any other: xunit runs this collection on its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
