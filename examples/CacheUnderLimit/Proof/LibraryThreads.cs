using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>The threads the library starts in a process: their names begin with <c>MemoryPressure</c> (the sampling thread, the kernel events thread, the watchdog, Hosting's cache compaction).</summary>
internal static class LibraryThreads
{
    /// <summary>Sums the time on a core of a process's threads named <c>MemoryPressure…</c> (Linux keeps 15 characters of a name), from their <c>schedstat</c>.</summary>
    /// <param name="process">The process's directory under <c>/proc</c>: <c>/proc/self</c> or <c>/proc/&lt;pid&gt;</c>.</param>
    public static TimeSpan Cpu(string process)
    {
        long nanoseconds = 0;
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("MemoryPressure", StringComparison.Ordinal))
                {
                    nanoseconds += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended while it was being read.
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
