namespace CacheUnderLimit.Proof;

/// <summary>Where a proof's Markdown table goes: a file in the output directory, and the log.</summary>
internal static class ProofTable
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="fileName"/> in <paramref name="outputDirectory"/> and to the log, with the file's path.</summary>
    public static async Task WriteAsync(string table, string outputDirectory, string fileName, TextWriter log)
    {
        Directory.CreateDirectory(outputDirectory);
        var path = Path.GetFullPath(Path.Combine(outputDirectory, fileName));
        await File.WriteAllTextAsync(path, table);
        log.WriteLine();
        log.Write(table);
        log.WriteLine($"Written: {path}");
    }
}
