using System.Text.RegularExpressions;

namespace MemoryPressure.Reactive.Tests.Docs;

/// <summary>
/// Every C# snippet in README.md is taken from code that compiles: each must appear, line for
/// line, in a source file under examples/ or tests/, which the build compiles and the tests run.
/// </summary>
public partial class ReadmeSnippetTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<int, string> Snippets()
    {
        var data = new TheoryData<int, string>();
        var index = 0;
        foreach (Match match in CSharpBlock().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))))
        {
            data.Add(++index, match.Groups[1].Value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_README_snippet_is_taken_from_compiled_code(int number, string snippet)
    {
        var wanted = Lines(snippet);
        var sources = new[] { "examples", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var found = sources.Any(path => Contains(Lines(File.ReadAllText(path)), wanted));

        Assert.True(found, $"README snippet {number} is in no source file under examples/ or tests/:{Environment.NewLine}{snippet}");
    }

    [Fact]
    public void The_README_has_snippets_to_check() => Assert.True(Snippets().Count >= 3);

    private static string[] Lines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static bool Contains(string[] source, string[] wanted)
    {
        for (var start = 0; start + wanted.Length <= source.Length; start++)
        {
            if (source.AsSpan(start, wanted.Length).SequenceEqual(wanted))
            {
                return true;
            }
        }

        return false;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MemoryPressure.Reactive.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no MemoryPressure.Reactive.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("```csharp\\r?\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
