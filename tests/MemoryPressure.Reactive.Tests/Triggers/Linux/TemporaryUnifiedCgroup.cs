using System.Globalization;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// A child cgroup in the v2 unified hierarchy made for one test, removed on dispose (after the test
/// has ended the processes it moved there). On a hybrid host it has no memory controller, but it has
/// its own <c>memory.pressure</c>: PSI counts the memory stalls of its tasks whatever controls them.
/// </summary>
internal sealed class TemporaryUnifiedCgroup : IDisposable
{
    private TemporaryUnifiedCgroup(string directory) => Directory = directory;

    public string Directory { get; }

    public string PressurePath => Path.Combine(Directory, "memory.pressure");

    /// <summary>Says why no v2 cgroup with PSI can be made here, or <see langword="null"/> when one can.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "cgroups are Linux only";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating a cgroup needs root";
        }

        if (UnifiedMountPoint() is not { } mountPoint)
        {
            return "no cgroup v2 hierarchy is mounted";
        }

        return File.Exists(Path.Combine(mountPoint, "memory.pressure")) ? null : $"the cgroup v2 hierarchy at {mountPoint} has no memory.pressure (PSI is off)";
    }

    public static TemporaryUnifiedCgroup Create() =>
        new(System.IO.Directory.CreateDirectory(Path.Combine(UnifiedMountPoint()!, $"mpr-test-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName);

    /// <summary>Moves a process into the cgroup.</summary>
    public void Add(int processId) =>
        File.WriteAllText(Path.Combine(Directory, "cgroup.procs"), processId.ToString(CultureInfo.InvariantCulture));

    public void Dispose()
    {
        // The kernel refuses rmdir while a task remains; the caller has killed them, and a killed
        // task leaves its cgroup a moment after.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                System.IO.Directory.Delete(Directory);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Yield();
            }
        }
    }

    private static string? UnifiedMountPoint() =>
        CgroupMounts.Parse(File.ReadAllBytes(CgroupMounts.Path)).V2?.MountPoint;
}
