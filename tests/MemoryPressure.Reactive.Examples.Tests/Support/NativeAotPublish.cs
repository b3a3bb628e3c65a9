using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>
/// One example published as a native executable, as the README tells a user to publish it
/// (<c>dotnet publish -c Release -r linux-x64 -p:PublishAot=true</c>), into a temporary folder that
/// disposing removes.
/// </summary>
/// <remarks>
/// The build happens in that folder too (<c>--artifacts-path</c>): the clone's own <c>obj</c> and <c>bin</c>,
/// restored and built for no runtime identifier, are left as they are. Packages come from the machine's NuGet
/// sources like every restore's (the native compiler's packages the first time, then from the cache). No build
/// server is left running afterwards.
/// </remarks>
internal sealed partial class NativeAotPublish : IDisposable
{
    private const string RuntimeIdentifier = "linux-x64";

    private readonly DirectoryInfo _folder;

    private NativeAotPublish(DirectoryInfo folder, string executable, int exitCode, string output, TimeSpan duration)
    {
        _folder = folder;
        Executable = executable;
        ExitCode = exitCode;
        Output = output;
        Duration = duration;
    }

    /// <summary>Gets the full path of the native executable.</summary>
    public string Executable { get; }

    /// <summary>Gets whether <c>dotnet publish</c> ended with code 0 and the executable is there.</summary>
    public bool Succeeded => ExitCode == 0 && File.Exists(Executable);

    /// <summary>Gets the code <c>dotnet publish</c> ended with.</summary>
    public int ExitCode { get; }

    /// <summary>Gets what <c>dotnet publish</c> printed.</summary>
    public string Output { get; }

    /// <summary>Gets how long the publish took, restore included.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the lines of <see cref="Output"/> that report a warning or an error (a trim or AOT warning among them).</summary>
    public IReadOnlyList<string> Warnings => [.. WarningOrError().Matches(Output).Select(match => match.Value.Trim()).Distinct(StringComparer.Ordinal)];

    /// <summary>Gets why a native AOT publish cannot be made on this machine, or <see langword="null"/> when it can.</summary>
    /// <remarks>
    /// What the native AOT build needs beyond the SDK on Linux (the ILCompiler package's <c>Microsoft.NETCore.Native.Unix.targets</c>
    /// looks for them): a C compiler driver to link with, <c>clang</c> or else <c>gcc</c>; <c>objcopy</c> (or
    /// <c>llvm-objcopy</c>) to strip the symbols into a file of their own; and zlib for the linker, which the runtime's
    /// compression library links against. On Debian: <c>apt-get install -y gcc binutils zlib1g-dev</c>.
    /// </remarks>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return $"the native AOT tests publish for {RuntimeIdentifier}, and this is {RuntimeInformation.RuntimeIdentifier}";
        }

        const string Install = "apt-get install -y gcc binutils zlib1g-dev";
        var compiler = FindOnPath("clang") ?? FindOnPath("gcc");
        if (compiler is null)
        {
            return $"native AOT links with clang or gcc, and neither is on PATH ({Install})";
        }

        if (FindOnPath("objcopy") is null && FindOnPath("llvm-objcopy") is null)
        {
            return $"native AOT strips symbols with objcopy or llvm-objcopy, and neither is on PATH ({Install})";
        }

        return LinkerFinds(compiler, "libz.so") || LinkerFinds(compiler, "libz.a")
            ? null
            : $"native AOT links against zlib, and {Path.GetFileName(compiler)} finds no libz.so or libz.a ({Install})";
    }

    /// <summary>Publishes <c>examples/<paramref name="example"/></c> as a native executable within <paramref name="bound"/>.</summary>
    /// <returns>The publish, whether or not it succeeded (see <see cref="Succeeded"/> and <see cref="Warnings"/>).</returns>
    public static async Task<NativeAotPublish> RunAsync(string example, TimeSpan bound)
    {
        var folder = Directory.CreateTempSubdirectory($"native-aot-{example}-");
        try
        {
            var publish = new ProcessStartInfo(ExampleProcess.DotnetHost)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "publish", Path.Combine(RepositoryRoot.Path, "examples", example, $"{example}.csproj"),
                "-c", "Release", "-r", RuntimeIdentifier, "-p:PublishAot=true",
                "--artifacts-path", Path.Combine(folder.FullName, "artifacts"),
                "-o", Path.Combine(folder.FullName, "publish"),
                "--disable-build-servers", "-tl:off", "-nologo",
            })
            {
                publish.ArgumentList.Add(argument);
            }

            // The test host runs under the MSBuild that `dotnet test` started, whose variables would steer this build's MSBuild.
            foreach (var name in publish.Environment.Keys.Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                publish.Environment.Remove(name);
            }

            var clock = Stopwatch.StartNew();
            var (exitCode, output, errors) = await ExampleProcess.WaitForEndAsync(bound, Process.Start(publish)!, $"the native AOT publish of {example}");
            var executable = Path.Combine(folder.FullName, "publish", example);
            return new NativeAotPublish(folder, executable, exitCode, output + errors, clock.Elapsed);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Removes the folder: the build, the executable and its symbols.</summary>
    public void Dispose() => _folder.Delete(recursive: true);

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    // `cc -print-file-name=libz.so` prints the library's full path where the linker would find it, else the bare name.
    private static bool LinkerFinds(string compiler, string library)
    {
        var ask = new ProcessStartInfo(compiler, $"-print-file-name={library}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(ask)!;
        _ = process.StandardError.ReadToEndAsync();
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return Path.IsPathRooted(path) && File.Exists(path);
    }

    // MSBuild's diagnostics ("file(1,2): warning IL2026: ...", "ILC : AOT analysis warning IL3050: ...", "... error NU1101: ..."), and any other line that says so.
    [GeneratedRegex(@"(?im)^.*\b(warning|error)\b.*$")]
    private static partial Regex WarningOrError();
}
