using System.Runtime.InteropServices;

namespace MemoryPressure.Reactive;

/// <summary>
/// Gives the C library's free native heap back to the kernel: <c>malloc_trim(0)</c> where the C
/// library is glibc. <see cref="MemoryPressureManager.InstallTrimNativeHeap"/> runs it after a level's reaction.
/// </summary>
/// <remarks>
/// <para>
/// Native memory freed by the process (<see cref="NativeMemory.Free"/>, a native library's buffers) does
/// not always leave its resident set. glibc serves small blocks, and once its mmap threshold has risen
/// (at the first free of a block it had mapped) blocks of up to 32 MiB, from arenas that it shrinks only
/// from their top: a handler that frees every block of a native cache may leave the resident set where it
/// was. Measured on a real cgroup v2 kernel: a cache of 1 MiB blocks freed on entering a level kept the
/// process at 166 MiB resident of 256 MiB, until the kernel killed it. <c>malloc_trim(0)</c> returns
/// every free page of every arena.
/// </para>
/// <para>
/// Elsewhere (musl, Windows, macOS) it does nothing and <see cref="Status"/> says why: those allocators
/// return memory by themselves or offer no such call.
/// </para>
/// </remarks>
public static unsafe class NativeHeap
{
    private static readonly delegate* unmanaged<nuint, int> s_trim;
    private static readonly string s_status;

#pragma warning disable CA1810 // Two fields from one lookup.
    static NativeHeap() => s_trim = Find(out s_status);
#pragma warning restore CA1810

    /// <summary>Gets whether <see cref="Trim"/> can give memory back here: the C library is glibc.</summary>
    public static bool CanTrim => s_trim is not null;

    /// <summary>Gets what <see cref="Trim"/> does here, or why it does nothing: <c>malloc_trim(0) of glibc 2.41</c>.</summary>
    public static string Status => s_status;

    /// <summary>Gives every free page of the C library's heap back to the kernel.</summary>
    /// <returns><see langword="true"/> when memory was given back; <see langword="false"/> when there was none to give, or where <see cref="CanTrim"/> is <see langword="false"/>.</returns>
    /// <remarks>Takes the allocator's locks and walks its arenas: milliseconds for a heap of hundreds of megabytes. Call it after freeing, not on every sample.</remarks>
    public static bool Trim() => s_trim is not null && s_trim(0) != 0;

    private static delegate* unmanaged<nuint, int> Find(out string status)
    {
        if (!OperatingSystem.IsLinux())
        {
            status = "nothing to trim: malloc_trim is glibc's, and this is not Linux";
            return null;
        }

        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out var version)
            || !NativeLibrary.TryGetExport(libc, "malloc_trim", out var trim))
        {
            status = "nothing to trim: the C library is not glibc (musl returns freed memory by itself)";
            return null;
        }

        var text = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)version)());
        status = $"malloc_trim(0) of glibc {text}";
        return (delegate* unmanaged<nuint, int>)trim;
    }
}
