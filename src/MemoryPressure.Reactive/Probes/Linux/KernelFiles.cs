using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Reads kernel files through descriptors kept open and re-read from offset 0 with <c>pread</c>
/// (<see cref="Libc"/>): procfs, sysfs and cgroupfs regenerate a file's content on each read from
/// its start, so a steady-state read is one system call into the caller's buffer and allocates nothing.
/// </summary>
/// <remarks>Not thread-safe: the probe serializes its reads.</remarks>
internal sealed class KernelFiles : IKernelFiles, IDisposable
{
    private readonly Dictionary<string, FileDescriptor> _handles = new(StringComparer.Ordinal);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Read(string path, Span<byte> buffer)
    {
        if (_handles.TryGetValue(path, out var handle))
        {
            var read = TryRead(handle, buffer);
            if (read >= 0)
            {
                return read;
            }

            // The file went away under the open handle (a removed cgroup answers ENODEV):
            // forget it and look the path up afresh.
            handle.Dispose();
            _handles.Remove(path);
        }

        handle = Libc.Open(path, Libc.ReadOnly, out _);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return -1;
        }

        var count = TryRead(handle, buffer);
        if (count < 0)
        {
            handle.Dispose();
            return -1;
        }

        _handles[path] = handle;
        return count;
    }

    public void Release()
    {
        foreach (var handle in _handles.Values)
        {
            handle.Dispose();
        }

        _handles.Clear();
    }

    public void Dispose() => Release();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TryRead(FileDescriptor handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var wanted = buffer.Length - total;
            var n = Libc.PRead(handle, buffer[total..], total);
            if (n < 0)
            {
                return -1;
            }

            total += n;

            // Kernel files hand out their whole content at once: a short read is the end,
            // and stopping here saves the system call that would read nothing.
            if (n < wanted)
            {
                break;
            }
        }

        return total;
    }
}
