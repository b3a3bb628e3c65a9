using Microsoft.Win32.SafeHandles;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>A Unix file descriptor, closed once when disposed or finalized.</summary>
internal sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
{
    public FileDescriptor(int descriptor)
        : base(ownsHandle: true) => SetHandle(descriptor);

    /// <summary>Gets the descriptor's number, for system calls made while it is held open.</summary>
    public int Value => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
