using System.Runtime.InteropServices;

namespace MemoryPressure.Reactive.Diagnostics.Writing;

/// <summary>
/// The Linux Yama security module's one exception to "only an ancestor may ptrace": the process
/// names the one process that may trace it.
/// </summary>
internal static partial class Yama
{
    private const int SetPtracer = 0x59616d61;

    /// <summary>
    /// Lets <paramref name="processId"/> trace this process, or nobody beyond the defaults when it is 0.
    /// Does nothing off Linux, and fails silently where Yama is not built in (nothing to allow there).
    /// </summary>
    public static void AllowTracer(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Prctl(SetPtracer, (nuint)processId, 0, 0, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);
}
