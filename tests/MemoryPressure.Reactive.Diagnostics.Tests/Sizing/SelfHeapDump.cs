using System.Runtime.InteropServices;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Sizing;

/// <summary>
/// A heap dump of this very process, opened with ClrMD through the runtime's own DAC; deleted on
/// disposal. <see cref="TryTake"/> says why when the machine cannot write or read one.
/// </summary>
internal sealed class SelfHeapDump : IDisposable
{
    private readonly string _path;
    private readonly DataTarget _target;
    private readonly ClrRuntime _runtime;

    private SelfHeapDump(string path, DataTarget target, ClrRuntime runtime)
    {
        _path = path;
        _target = target;
        _runtime = runtime;
    }

    /// <summary>Writes a dump with the heap and opens it.</summary>
    /// <param name="whyNot">Why no dump could be written or read, when the result is <see langword="null"/>.</param>
    public static SelfHeapDump? TryTake(out string? whyNot)
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0")
        {
            whyNot = "diagnostics are disabled (DOTNET_EnableDiagnostics=0)";
            return null;
        }

        var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), DacFileName());
        if (!File.Exists(dac))
        {
            whyNot = $"the runtime's DAC is not at {dac}";
            return null;
        }

        var path = Path.Combine(Path.GetTempPath(), $"objectsize-exactness-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        try
        {
            new DiagnosticsClient(Environment.ProcessId).WriteDump(DumpType.WithHeap, path, logDumpGeneration: false);
        }
        catch (Exception error) when (error is DiagnosticsClientException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Delete(path);
            whyNot = $"this process cannot dump itself here: {error.Message}";
            return null;
        }

        var target = DataTarget.LoadDump(path);
        var runtime = target.ClrVersions.Length == 0 ? null : target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true);
        if (runtime is null)
        {
            target.Dispose();
            File.Delete(path);
            whyNot = "ClrMD found no .NET runtime in the dump";
            return null;
        }

        whyNot = null;
        return new SelfHeapDump(path, target, runtime);
    }

    /// <summary>Gets the address, at the time of the dump, of the object a GC handle of this process held.</summary>
    public ulong ObjectOf(GCHandle handle) => _target.DataReader.ReadPointer((ulong)GCHandle.ToIntPtr(handle));

    /// <summary>Gets the address of element <paramref name="index"/> of the array of references at <paramref name="array"/>.</summary>
    public ulong Element(ulong array, int index) => _runtime.Heap.GetObject(array).AsArray().GetObjectValue(index).Address;

    /// <summary>
    /// Sums, as the GC allocated them, the objects reachable from <paramref name="root"/> through
    /// the references ClrMD finds, each once: ClrMD's size rounded up to a pointer, at least three.
    /// </summary>
    public (long Bytes, long Objects) Measure(ulong root)
    {
        var heap = _runtime.Heap;
        var pointer = (ulong)_target.DataReader.PointerSize;
        var seen = new HashSet<ulong> { root };
        var pending = new Stack<ulong>();
        pending.Push(root);
        long bytes = 0;
        while (pending.TryPop(out var address))
        {
            var value = heap.GetObject(address);
            bytes += (long)Math.Max(3 * pointer, (value.Size + pointer - 1) & ~(pointer - 1));
            foreach (var reference in value.EnumerateReferences(carefully: false, considerDependantHandles: false))
            {
                if (seen.Add(reference.Address))
                {
                    pending.Push(reference.Address);
                }
            }
        }

        return (bytes, seen.Count);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _target.Dispose();
        File.Delete(_path);
    }

    private static string DacFileName() =>
        OperatingSystem.IsWindows() ? "mscordaccore.dll"
        : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib"
        : "libmscordaccore.so";
}
