using System.Globalization;
using System.Text;

namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>The text form of a <see cref="MemoryDumpResult"/>: a header of the process's and the GC's figures, then one line per type.</summary>
/// <remarks>
/// The whole report is formatted first and handed to the writer in one <see cref="TextWriter.Write(string)"/>
/// followed by a <see cref="TextWriter.Flush"/>, so reports from two sources do not interleave line by line.
/// Numbers use the invariant culture.
/// </remarks>
internal static class BreakdownReport
{
    public static void Write(TextWriter output, MemoryDumpResult result)
    {
        output.Write(Format(result));
        output.Flush();
    }

    /// <summary>Says why a trigger was skipped; never throws, as it runs on the thread that triggered (a signal's, the manager's).</summary>
    public static void WriteSkipped(TextWriter output, string trigger, string reason)
    {
        try
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"Memory dump on {trigger} skipped: {reason}{Environment.NewLine}"));
            output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            // Nowhere left to say it.
        }
    }

    public static string Format(MemoryDumpResult result)
    {
        var text = new StringBuilder();
        var time = result.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (!result.Succeeded)
        {
            Line(text, $"Memory dump at {time} of process {Environment.ProcessId} failed: {result.FailureReason}");
            return text.ToString();
        }

        var sample = result.Sample;
        var heap = result.Heap;
        Line(text, $"Memory dump at {time} of process {Environment.ProcessId}");
        var limit = sample.ProcessLimitBytes > 0 ? $"of a {Mib(sample.ProcessLimitBytes)} limit ({sample.ProcessLimitSource})" : "with no known limit";
        Line(text, $"  process: resident {Mib(sample.ProcessResidentBytes)} {limit}");
        Line(text, $"  GC heap: committed {Mib(heap.CommittedBytes)}; objects {Mib(result.TotalBytes)} in {result.ObjectCount:N0} of {result.TypeCount:N0} types, {Mib(heap.FragmentedBytes)} of it free space between objects");
        Line(text, $"  by generation: gen0 {Mib(heap.Generation0Bytes)}, gen1 {Mib(heap.Generation1Bytes)}, gen2 {Mib(heap.Generation2Bytes)}, LOH {Mib(heap.LargeObjectHeapBytes)}, POH {Mib(heap.PinnedObjectHeapBytes)}");
        Line(text, $"  collections before the dump: gen0 {heap.Generation0Collections:N0}, gen1 {heap.Generation1Collections:N0}, gen2 {heap.Generation2Collections:N0}");
        if (result.UnreadableBytes > 0)
        {
            Line(text, $"  unreadable: {result.UnreadableBytes:N0} bytes of heap could not be walked");
        }

        Line(text, $"  objects: {(result.IncludesUnreachable ? "all, unreachable ones included" : $"live only (a full collection ran first, in {result.CollectionDuration.TotalSeconds:F2} s)")}");
        Line(text, $"  dump: written in {result.DumpDuration.TotalSeconds:F2} s, analysed in {result.AnalysisDuration.TotalSeconds:F2} s; {(result.DumpFilePath is { } path ? $"kept at {path}" : "not kept")}");
        Line(text, $"{"bytes",16} {"objects",14} {"share",6}  type");
        long listedBytes = 0, listedObjects = 0;
        foreach (var type in result.Types)
        {
            Line(text, $"{type.Bytes,16:N0} {type.Count,14:N0} {type.Share * 100,5:F1}%  {type.TypeName}");
            listedBytes += type.Bytes;
            listedObjects += type.Count;
        }

        var rest = result.TypeCount - result.Types.Count;
        if (rest > 0)
        {
            Line(text, $"{result.TotalBytes - listedBytes,16:N0} {result.ObjectCount - listedObjects,14:N0} {"",6}  ({rest:N0} more types)");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append(Environment.NewLine);

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MiB");
}
