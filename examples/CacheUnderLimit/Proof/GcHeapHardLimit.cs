using System.Diagnostics;
using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>
/// The GC heap hard limit (<c>DOTNET_GCHeapHardLimit</c>): the runtime refuses to grow the managed
/// heap past it and throws <see cref="OutOfMemoryException"/>. It bounds the managed heap only,
/// not the whole process, and the kernel never acts on it.
/// </summary>
internal sealed class GcHeapHardLimit(long bytes) : ChildMemoryLimit(bytes)
{
    private int? _processId;

    public override string Kind => "GC heap hard limit";

    public override Process Start(string fileName, IEnumerable<string> arguments)
    {
        var start = Redirected(fileName, arguments);
        start.Environment["DOTNET_GCHeapHardLimit"] = Bytes.ToString("X", CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        _processId = process.Id;
        return process;
    }

    public override int? KernelOomKills() => null;

    protected override void Dispose(bool disposing)
    {
        if (_processId is { } id)
        {
            KillIfRunning(id);
        }
    }
}
