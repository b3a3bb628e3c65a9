using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryPressure.Reactive.Tests.Layout;

/// <summary>
/// The core package's folders are its rooms, and dependencies point one way, from the manager down
/// to the samples: a type may use the types of its own room and of the rooms below it, never one above.
/// </summary>
/// <remarks>
/// Read from the sources with Roslyn's semantic model, so every use counts (a field, a call through
/// <c>var</c>, a base type, an attribute), and documentation comments do not.
/// </remarks>
public sealed class RoomDirectionTests
{
    /// <summary>The rooms from the bottom up; <c>Sizing</c> stands apart, using no other room and used by none.</summary>
    private static readonly string[] Rooms =
        ["Samples", "Probes", "Triggers", "Conditions", "Ladder", "Pacing", "Scheduling", "Handlers", "Reactions", "Limits", "Manager"];

    private const string ApartRoom = "Sizing";

    private static readonly Lazy<CoreSources> Sources = new(CoreSources.Load);

    [Fact]
    public void Every_file_of_the_core_sits_in_a_room()
    {
        var outside = Sources.Value.Files.Where(f => Array.IndexOf(Rooms, f.Room) < 0 && f.Room != ApartRoom).Select(f => f.Path).ToList();

        Assert.True(outside.Count == 0, $"outside every room: {string.Join("; ", outside)}");
    }

    [Fact]
    public void No_type_uses_a_type_of_a_room_above_its_own()
    {
        var upward = Sources.Value.Uses()
            .Where(use => !Allowed(use.FromRoom, use.ToRoom))
            .Select(use => $"{use.FromPath} ({use.FromRoom}) uses {use.Type} ({use.ToRoom})")
            .Distinct()
            .Order()
            .ToList();

        Assert.True(upward.Count == 0, $"uses that point up:\n{string.Join("\n", upward)}");
    }

    [Fact]
    public void The_check_sees_a_use_through_var_and_a_static_call()
    {
        // The manager creates its pacer and calls LevelSteps.Judge: the rooms it uses include both.
        var used = Sources.Value.Uses().Where(u => u.FromPath.EndsWith("MemoryPressureManager.Dispatch.cs", StringComparison.Ordinal)).Select(u => u.ToRoom).ToHashSet();

        Assert.Contains("Ladder", used);
        Assert.Contains("Handlers", used);
        Assert.Contains("Reactions", used);
    }

    [Fact]
    public void Internal_types_live_in_the_namespace_of_their_folder_and_public_ones_in_the_root()
    {
        var misplaced = Sources.Value.Files
            .SelectMany(f => f.TopLevelTypes.Select(t => (File: f, Type: t)))
            .Where(x => x.Type.Namespace != (x.Type.IsPublic ? "MemoryPressure.Reactive" : "MemoryPressure.Reactive." + x.File.Folder.Replace('/', '.')))
            .Select(x => $"{x.File.Path}: {x.Type.Name} in {x.Type.Namespace}")
            .ToList();

        Assert.True(misplaced.Count == 0, $"in another namespace: {string.Join("; ", misplaced)}");
    }

    private static bool Allowed(string from, string to) =>
        from == to || (from != ApartRoom && to != ApartRoom && Array.IndexOf(Rooms, to) < Array.IndexOf(Rooms, from));

    private sealed record Use(string FromPath, string FromRoom, string Type, string ToRoom);

    private sealed record TopLevelType(string Name, string Namespace, bool IsPublic);

    private sealed record SourceFile(string Path, string Folder, SyntaxTree Tree, IReadOnlyList<TopLevelType> TopLevelTypes)
    {
        public string Room => Folder.Split('/')[0];
    }

    private sealed class CoreSources
    {
        private readonly CSharpCompilation _compilation;
        private readonly Dictionary<SyntaxTree, SourceFile> _byTree;

        private CoreSources(CSharpCompilation compilation, IReadOnlyList<SourceFile> files)
        {
            _compilation = compilation;
            Files = files;
            _byTree = files.ToDictionary(f => f.Tree);
        }

        public IReadOnlyList<SourceFile> Files { get; }

        public static CoreSources Load()
        {
            var root = Path.Combine(RepositoryRoot.Path, "src", "MemoryPressure.Reactive");
            var files = new List<SourceFile>();
            foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Preview), relative);
                files.Add(new SourceFile(relative, Path.GetDirectoryName(relative)!.Replace('\\', '/'), tree, TopLevel(tree)));
            }

            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => !Path.GetFileNameWithoutExtension(p).StartsWith("MemoryPressure.Reactive", StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create("Core", files.Select(f => f.Tree), references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            return new CoreSources(compilation, files);
        }

        public IEnumerable<Use> Uses()
        {
            foreach (var file in Files)
            {
                var model = _compilation.GetSemanticModel(file.Tree);
                foreach (var name in file.Tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    if (name.Ancestors().Any(a => a is UsingDirectiveSyntax || (a is BaseNamespaceDeclarationSyntax ns && ns.Name.Span.Contains(name.Span))))
                    {
                        continue;
                    }

                    if (TypeOf(model.GetSymbolInfo(name).Symbol) is { } type && Declared(type) is { } declared)
                    {
                        yield return new Use(file.Path, file.Room, type.Name, declared.Room);
                    }
                }
            }
        }

        private static INamedTypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
        {
            INamedTypeSymbol type => type.OriginalDefinition,
            IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType,
            null or INamespaceSymbol or ITypeParameterSymbol or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol => null,
            _ => symbol.ContainingType?.OriginalDefinition,
        };

        private SourceFile? Declared(INamedTypeSymbol type)
        {
            while (type.ContainingType is { } outer)
            {
                type = outer;
            }

            return type.DeclaringSyntaxReferences.Select(r => _byTree.GetValueOrDefault(r.SyntaxTree)).FirstOrDefault(f => f is not null);
        }

        private static List<TopLevelType> TopLevel(SyntaxTree tree)
        {
            var root = (CompilationUnitSyntax)tree.GetRoot();
            var ns = root.Members.OfType<BaseNamespaceDeclarationSyntax>().Single();
            return
            [
                .. ns.Members.OfType<BaseTypeDeclarationSyntax>().Select(t => new TopLevelType(t.Identifier.Text, ns.Name.ToString(), t.Modifiers.Any(SyntaxKind.PublicKeyword))),
                .. ns.Members.OfType<DelegateDeclarationSyntax>().Select(t => new TopLevelType(t.Identifier.Text, ns.Name.ToString(), t.Modifiers.Any(SyntaxKind.PublicKeyword))),
            ];
        }
    }
}
