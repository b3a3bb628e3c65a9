using Microsoft.Win32.SafeHandles;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Reads kernel files through handles kept open and re-read from offset 0 with <c>pread</c>:
/// procfs, sysfs and cgroupfs regenerate a file's content on each read from its start, so a
/// steady-state read is one system call and allocates nothing.
/// </summary>
/// <remarks>Not thread-safe: the probe serializes its reads.</remarks>
internal sealed class KernelFiles : IKernelFiles, IDisposable
{
    private readonly Dictionary<string, SafeFileHandle> _handles = new(StringComparer.Ordinal);

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

        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
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

    private static int TryRead(SafeFileHandle handle, Span<byte> buffer)
    {
        try
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var wanted = buffer.Length - total;
                var n = RandomAccess.Read(handle, buffer[total..], total);
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
