namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>The clone the tests were built from: the folder above them that holds the solution.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    /// <summary>Gets the full path of the repository's root folder.</summary>
    public static string Path => Found.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MemoryPressure.Reactive.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no MemoryPressure.Reactive.sln above {AppContext.BaseDirectory}");
    }
}
