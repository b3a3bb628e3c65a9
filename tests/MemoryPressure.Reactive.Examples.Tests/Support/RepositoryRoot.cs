namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>The clone the tests were built from, for the files they read beside the code (README.md, examples/).</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder of <c>MemoryPressure.Reactive.sln</c> above the test's output folder.</summary>
    public static string Path { get; } = Find();

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
