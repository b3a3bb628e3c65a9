namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>A fresh private directory for one test, removed with everything in it on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Path = Directory.CreateTempSubdirectory("mpr-diagnostics-test-").FullName;

    public string Path { get; }

    public string[] FileNames() =>
        [.. Directory.GetFiles(Path).Select(file => System.IO.Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
