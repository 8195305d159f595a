namespace VaeStream.Testing;

/// <summary>
/// A fresh folder under the system's temporary directory, deleted with everything in it on dispose. A folder already
/// gone (a test removed it, or a second dispose) is not an error.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>{prefix}{random}</c> in the temporary directory.</summary>
    public TempDirectory(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public override string ToString() => Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already deleted.
        }
    }
}
