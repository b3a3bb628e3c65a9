using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>
/// Every C# block of the repository's README and of each package's README compiles on its own, as
/// pasted into a new project: a missing <c>using</c> or declaration fails here. The blocks that are
/// whole files of the repository are those files, character for character, so they also run.
/// </summary>
public partial class ReadmeBlockTests
{
    private static readonly string Root = RepositoryRoot.Path;

    // What `dotnet new` projects import implicitly (ImplicitUsings): console and test projects, and web projects on top.
    private static readonly string[] ConsoleUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly string[] WebUsings =
    [
        .. ConsoleUsings, "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    // Everything this test process runs on: the framework, the four packages, Rx, xunit, Microsoft.Reactive.Testing.
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path))]);

    // And for a web or worker block, the ASP.NET Core shared framework installed beside the runtime, of the runtime's
    // major version, which holds the generic host too (what it shares with the packages above is taken from the packages).
    private static readonly Lazy<MetadataReference[]> HostReferences = new(() =>
    {
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var aspNetCore = new DirectoryInfo(Path.Combine(runtime.Parent!.Parent!.FullName, "Microsoft.AspNetCore.App"))
            .GetDirectories($"{Environment.Version.Major}.*")
            .MaxBy(directory => Version.TryParse(directory.Name.Split('-')[0], out var version) ? version : new Version())
            ?? throw new InvalidOperationException($"no ASP.NET Core {Environment.Version.Major} beside {runtime.FullName}");
        var present = References.Value.Select(reference => Path.GetFileName(reference.Display!)).ToHashSet(StringComparer.Ordinal);
        return [.. References.Value, .. aspNetCore.GetFiles("*.dll").Where(file => !present.Contains(file.Name)).Select(file => MetadataReference.CreateFromFile(file.FullName))];
    });

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var readme in Readmes())
        {
            for (var number = 1; number <= BlocksOf(readme).Count; number++)
            {
                data.Add(readme, number);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_README_block_compiles_on_its_own(string readme, int number)
    {
        var code = BlocksOf(readme)[number - 1];
        var isTest = code.Contains("[Fact]", StringComparison.Ordinal);
        var isWeb = code.Contains("WebApplication.", StringComparison.Ordinal);
        var usings = isWeb ? WebUsings : ConsoleUsings;
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "ReadmeBlock",
            [
                CSharpSyntaxTree.ParseText(code, parse, path: $"{readme} block {number}"),
                CSharpSyntaxTree.ParseText(string.Concat(usings.Select(u => $"global using global::{u};\n")), parse),
            ],
            isWeb || code.Contains("Host.CreateApplicationBuilder", StringComparison.Ordinal) ? HostReferences.Value : References.Value,
            new CSharpCompilationOptions(isTest ? OutputKind.DynamicallyLinkedLibrary : OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var errors = compilation.Emit(image).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.True(errors.Count == 0, $"{readme}, C# block {number}, does not compile on its own:\n{string.Join('\n', errors)}\n\n{code}");
    }

    [Theory]
    [InlineData("examples/QuickStart/Program.cs")]
    [InlineData("examples/WebService/Program.cs")]
    [InlineData("tests/MemoryPressure.Reactive.Testing.Tests/ReadmeExampleTests.cs")]
    [InlineData("tests/MemoryPressure.Reactive.Tests/Manager/ReadmeExampleTests.cs")]
    public void A_whole_file_the_README_shows_is_that_file(string file)
    {
        var content = File.ReadAllText(Path.Combine(Root, file)).ReplaceLineEndings("\n");

        Assert.Contains(content, BlocksOf("README.md"));
    }

    [Fact]
    public void Every_package_has_a_README_with_an_example() =>
        Assert.All(Directory.GetDirectories(Path.Combine(Root, "src")), project => Assert.NotEmpty(BlocksOf(Path.GetRelativePath(Root, Path.Combine(project, "README.md")))));

    private static IEnumerable<string> Readmes() =>
        [
            "README.md",
            .. Directory.GetDirectories(Path.Combine(Root, "src")).Select(project => Path.GetRelativePath(Root, Path.Combine(project, "README.md"))).Order(StringComparer.Ordinal),
        ];

    private static List<string> BlocksOf(string readme) =>
        [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(Root, readme)).ReplaceLineEndings("\n")).Select(match => match.Groups[1].Value)];

    [GeneratedRegex("^```csharp\\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
