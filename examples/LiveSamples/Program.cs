// Prints live memory samples for a few seconds, then exits; Ctrl+C ends it sooner.
// Usage: dotnet run --project examples/LiveSamples [-- <seconds>]
using System.Globalization;
using System.Reactive.Linq;
using MemoryPressure.Reactive;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

if (MemoryProbe.Default is LinuxMemoryProbe linux)
{
    linux.Read();
    Console.WriteLine(linux.CgroupDirectory is { } directory
        ? $"memory cgroup v{linux.CgroupVersion}: {directory}"
        : "no memory cgroup");
}

Console.WriteLine($"{"time",-12} {"resident",10} {"managed",10} {"available",10} {"limit",10}  limit from");
using var subscription = MemorySamples.Poll(TimeSpan.FromMilliseconds(500))
    .Subscribe(sample => Console.WriteLine(
        $"{sample.Timestamp.ToLocalTime():HH:mm:ss.fff}" +
        $" {Mib(sample.ProcessResidentBytes),10} {Mib(sample.ManagedHeapBytes),10}" +
        $" {Mib(sample.SystemAvailableBytes),10} {Mib(sample.ProcessLimitBytes),10}  {sample.ProcessLimitSource}"));

stop.Token.WaitHandle.WaitOne();

static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB");
