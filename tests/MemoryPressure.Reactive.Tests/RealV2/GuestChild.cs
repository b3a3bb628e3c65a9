using System.Globalization;
using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.UserModeLinux;

namespace MemoryPressure.Reactive.Tests.RealV2;

/// <summary>Runs <c>MemoryPressure.Reactive.TestChild</c> in a user-mode Linux guest, on a real cgroup v2 memory controller.</summary>
internal static class GuestChild
{
    /// <summary>Skips the test where guests cannot run: not root (as CI is), or user-mode Linux missing or failing its trial boot.</summary>
    public static void SkipUnlessAvailable()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "the real cgroup v2 tests run as root (as CI does)");
        var unavailable = UserModeLinuxGuest.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
    }

    /// <summary>Runs the child with the given arguments in <paramref name="leaf"/> of the cgroup tree.</summary>
    public static Task<GuestResult> RunAsync(IReadOnlyList<GuestCgroup> cgroups, string leaf, IReadOnlyList<string> arguments, IReadOnlyList<string>? background = null) =>
        UserModeLinuxGuest.RunAsync(new GuestScenario
        {
            Cgroups = cgroups,
            ProgramCgroup = leaf,
            Program = TestChild.DotnetHost,
            Arguments = [TestChild.Assembly, .. arguments],
            BackgroundSteps = background ?? [],
            Timeout = TimeSpan.FromSeconds(45),
        });

    /// <summary>The child's "Name=value" lines (other lines, such as "ready", left out).</summary>
    public static Dictionary<string, string> Fields(GuestResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    public static long Long(this Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : throw new KeyNotFoundException($"the child printed no {name}");

    public static double Double(this Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : throw new KeyNotFoundException($"the child printed no {name}");
}
