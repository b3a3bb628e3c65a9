using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// The one kernel-file layer: the few libc calls the probe's reads and the kernel signals need
/// (<c>open</c>, <c>read</c>, <c>pread</c>, <c>write</c>, <c>close</c>, <c>eventfd</c> and <c>poll</c>),
/// with the errno each one leaves. <see cref="KernelFiles"/> reads through it; the trigger sources
/// watch and write through it.
/// </summary>
/// <remarks>
/// The constants are the generic Linux ABI values, the same on x64 and arm64. Every call is compiled
/// optimised at its first use: a generated stub left to tiered compilation runs unoptimised, then is
/// compiled again (with the framework's errno helpers it calls) once a burst of signals has called it
/// thirty times, in the middle of a rest.
/// </remarks>
internal static unsafe partial class Libc
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int ReadWrite = 2;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    public const short PollIn = 0x1;
    public const short PollPriority = 0x2;
    public const short PollError = 0x8;
    public const short PollHangUp = 0x10;
    public const short PollInvalid = 0x20;

    public const uint InotifyModify = 0x2;
    public const uint InotifyIgnored = 0x8000;

    public const int Interrupted = 4;
    public const int InvalidArgument = 22;

    private const string Library = "libc";

    // setpriority's "which" for one process, or on Linux one thread by its id.
    private const int PriorityProcess = 0;

    /// <summary>Opens a file; a descriptor that <see cref="SafeHandle.IsInvalid"/> on failure, with <paramref name="errno"/> set.</summary>
    public static FileDescriptor Open(string path, int flags, out int errno)
    {
        var descriptor = new FileDescriptor(OpenCore(path, flags | CloseOnExec));
        errno = descriptor.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>Makes a non-blocking eventfd whose counter starts at zero.</summary>
    public static FileDescriptor EventFd(out int errno)
    {
        var descriptor = new FileDescriptor(EventFdCore(0, NonBlocking | CloseOnExec));
        errno = descriptor.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>Makes a non-blocking inotify descriptor, which <c>poll()</c> reports readable when a watched file has events.</summary>
    public static FileDescriptor InotifyInit(out int errno)
    {
        var descriptor = new FileDescriptor(InotifyInitCore(NonBlocking | CloseOnExec));
        errno = descriptor.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>Watches a file for the events of <paramref name="mask"/>.</summary>
    /// <returns>The watch descriptor, which the events name, or -1 with <paramref name="errno"/> set.</returns>
    public static int InotifyAddWatch(FileDescriptor inotify, string path, uint mask, out int errno)
    {
        var watch = InotifyAddWatchCore(inotify.Value, path, mask);
        errno = watch < 0 ? Marshal.GetLastPInvokeError() : 0;
        return watch;
    }

    /// <summary>Reads what a non-blocking descriptor has into a caller's buffer.</summary>
    /// <returns>The bytes read, or -1 when there is nothing to read (or on failure).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Read(FileDescriptor descriptor, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            return (int)ReadCore(descriptor.Value, bytes, (nuint)buffer.Length);
        }
    }

    /// <summary>Writes ASCII text in one call, as the kernel's control files want it.</summary>
    /// <returns>0 on success, otherwise the errno.</returns>
    public static int WriteText(FileDescriptor descriptor, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* buffer = bytes)
        {
            return WriteCore(descriptor.Value, buffer, (nuint)bytes.Length) == bytes.Length ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Adds one to an eventfd's counter, waking whoever polls it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Signal(FileDescriptor eventFd)
    {
        ulong one = 1;
        WriteCore(eventFd.Value, &one, sizeof(ulong));
    }

    /// <summary>Reads and so resets a non-blocking eventfd's counter; 0 when it was already zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Drain(FileDescriptor eventFd)
    {
        ulong count = 0;
        return ReadCore(eventFd.Value, &count, sizeof(ulong)) == sizeof(ulong) ? count : 0;
    }

    /// <summary>Reads from an offset into a caller's buffer, retrying when a signal interrupts the call.</summary>
    /// <returns>The bytes read (0 at the end), or -1 on failure (a removed cgroup's files answer ENODEV).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int PRead(FileDescriptor descriptor, Span<byte> buffer, long offset)
    {
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                var read = PReadCore(descriptor.Value, bytes, (nuint)buffer.Length, offset);
                if (read >= 0 || Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return (int)read;
                }
            }
        }
    }

    /// <summary>Tells whether a kernel file can still be read from its start (a removed cgroup's files answer ENODEV).</summary>
    public static bool CanRead(FileDescriptor descriptor) => PRead(descriptor, stackalloc byte[64], 0) >= 0;

    /// <summary>Waits for events on <paramref name="descriptors"/>.</summary>
    /// <returns>The number of descriptors with events, 0 on timeout, or -1 with <paramref name="errno"/> set.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Poll(Span<PollDescriptor> descriptors, int timeoutMilliseconds, out int errno)
    {
        fixed (PollDescriptor* items = descriptors)
        {
            var ready = PollCore(items, (nuint)descriptors.Length, timeoutMilliseconds);
            errno = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
            return ready;
        }
    }

    /// <summary>
    /// Sets the calling thread's nice value (Linux keeps one per thread); lowering it needs
    /// <c>CAP_SYS_NICE</c> or an <c>RLIMIT_NICE</c> that allows it.
    /// </summary>
    /// <returns>Whether it was set: not when the kernel refused, nor when the C library has no <c>gettid</c>.</returns>
    public static bool TrySetThreadNice(int nice)
    {
        try
        {
            return SetPriorityCore(PriorityProcess, GetThreadIdCore(), nice) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Names an errno for messages: its number and the C library's description.</summary>
    public static string Describe(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static partial int Close(int descriptor);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int OpenCore(string path, int flags);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int EventFdCore(uint initialValue, int flags);

    [LibraryImport(Library, EntryPoint = "inotify_init1", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int InotifyInitCore(int flags);

    [LibraryImport(Library, EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int InotifyAddWatchCore(int descriptor, string path, uint mask);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial nint ReadCore(int descriptor, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial nint PReadCore(int descriptor, void* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial nint WriteCore(int descriptor, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int PollCore(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "gettid")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int GetThreadIdCore();

    [LibraryImport(Library, EntryPoint = "setpriority")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static partial int SetPriorityCore(int which, int who, int priority);

    /// <summary>The kernel's <c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
