using MemoryPressure.Reactive.Diagnostics.Writing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>A dump writer that writes a few bytes into the file, or fails, as a test tells it, and remembers the files.</summary>
internal sealed class FakeDumpWriter : IDumpWriter
{
    public string? Unavailable { get; init; }

    /// <summary>Gets or sets what a write does; by default it writes <c>dump</c> into the file.</summary>
    public Func<string, CancellationToken, Task> Write { get; set; } = (path, token) => File.WriteAllTextAsync(path, "dump", token);

    public List<string> Files { get; } = [];

    public string? WhyUnavailable() => Unavailable;

    public Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Files.Add(path);
        return Write(path, cancellationToken);
    }
}
