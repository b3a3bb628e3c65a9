namespace MemoryPressure.Reactive.Diagnostics.Writing;

/// <summary>Writes a dump of this process, with its managed heap, into a file.</summary>
internal interface IDumpWriter
{
    /// <summary>Says why no dump of this process can be written, or returns <see langword="null"/> when one can.</summary>
    string? WhyUnavailable();

    /// <summary>Writes the dump into <paramref name="path"/>, an existing empty file it truncates and fills.</summary>
    Task WriteAsync(string path, CancellationToken cancellationToken);
}
