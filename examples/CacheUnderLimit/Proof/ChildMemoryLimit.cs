using System.Diagnostics;

namespace CacheUnderLimit.Proof;

/// <summary>
/// A real memory limit around one child process: a cgroup v1 memory cgroup where this process
/// can make one (root, and the v1 memory controller mounted writable), otherwise the GC heap hard
/// limit (<c>DOTNET_GCHeapHardLimit</c>), which any 64-bit .NET process honours.
/// </summary>
public abstract class ChildMemoryLimit : IDisposable
{
    /// <summary>Initializes a limit of <paramref name="bytes"/>.</summary>
    protected ChildMemoryLimit(long bytes) => Bytes = bytes;

    /// <summary>Gets the limit in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Gets a description for the results, such as <c>cgroup v1 memory limit</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Says why no limit of either kind can be set here, or <see langword="null"/> when one can.</summary>
    public static string? WhyUnavailable() =>
        CgroupV1MemoryLimit.WhyCannotCreate() is not null && !Environment.Is64BitProcess
            ? "no cgroup v1 memory controller can be used, and DOTNET_GCHeapHardLimit needs a 64-bit process"
            : null;

    /// <summary>Makes the limit for one child: a cgroup when one can be made and <paramref name="useGcHeapHardLimit"/> is not set.</summary>
    public static ChildMemoryLimit Create(long bytes, bool useGcHeapHardLimit) =>
        useGcHeapHardLimit || CgroupV1MemoryLimit.WhyCannotCreate() is not null
            ? new GcHeapHardLimit(bytes)
            : CgroupV1MemoryLimit.Create(bytes);

    /// <summary>Starts a program under the limit, with its standard output and error redirected.</summary>
    public abstract Process Start(string fileName, IEnumerable<string> arguments);

    /// <summary>Gets how many times the kernel's OOM killer acted under the limit, when the limit can tell.</summary>
    public abstract int? KernelOomKills();

    /// <summary>Ends what runs under the limit and removes the limit.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Ends what runs under the limit and removes the limit.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>Kills a process unless it has exited already.</summary>
    protected static void KillIfRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>Gets a start description of <paramref name="fileName"/> with <paramref name="arguments"/>, its output and error redirected.</summary>
    internal static ProcessStartInfo Redirected(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
