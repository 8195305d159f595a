namespace VaeStream.Testing;

/// <summary>Finds the repository root (where VaeStream.sln is) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string SharedData => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "data"));

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "VaeStream.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("VaeStream.sln not found above " + AppContext.BaseDirectory);
    }
}
