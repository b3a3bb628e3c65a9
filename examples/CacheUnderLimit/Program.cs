// The proof: the same cache workload inside a real memory limit, in three modes side by side,
// each in its own child process: (a) no memory handling, (b) System.Runtime.Caching with its
// memory limits, (c) Microsoft.Extensions.Caching.Memory compacted by MemoryPressure.Reactive.
// Writes a Markdown table and a PNG chart (artifacts/CacheUnderLimit by default).
//
// Usage: dotnet run -c Release --project examples/CacheUnderLimit [-- [--short] [--seconds N] [--limit-mib N] [--output DIR] [--gc-heap-hard-limit]]
//
// The ramp proof: dotnet run -c Release --project examples/CacheUnderLimit -- --ramp [--runs N] [--rate-mib N] [--check-ms N] [--gc-heap-hard-limit]
// grows a managed cache fast under the same limit, guarded by LocalRelative < 10% and by
// HeapRelative < 20% (with and without the cgroup v1 signals), and tallies which runs survive.
//
// The four-mode ramp proof: dotnet run -c Release --project examples/CacheUnderLimit -- --ramp-modes [--runs N]
// runs LocalRelative < 35% (empty the cache, force a collection) in a v1 cgroup at 0.8 GB/s and flat
// out, with the v1 signals off (as on cgroup v2, Windows, macOS), and under a bare DOTNET_GCHeapHardLimit,
// each beside a control without a manager, and prints survival and detection latency p50/p99.
//
// The ramp-tracking cost: dotnet run -c Release --project examples/CacheUnderLimit -- --ramp-cpu [--runs N]
// measures the CPU of a manager's own threads and its samples at rest, while a cache ramps towards a
// level's threshold, and while it holds just short of it, with every signal and with the portable ones.
//
// The moves proof: dotnet run -c Release --project examples/CacheUnderLimit -- --moves [--runs N]
// runs, in v1 memory cgroups whose limit it writes while the child runs, a native cache ramp (the
// native heap trimmed, the held level acting again), a limit raised then more held than the old cap,
// and a limit lowered then a cache grown under HeapRelative < 20%, each beside a control that dies.
//
// The real cgroup v2 proof: dotnet run -c Release --project examples/CacheUnderLimit -- --real-v2 [--runs N] [--only TEXT]
// runs the same kinds of children in a user-mode Linux guest (apt-get install -y user-mode-linux), in
// pod/app under a pod's memory.max: a managed ramp, the same beside a page cache filling the pod, a
// native ramp, a pod limit raised and one lowered while the child runs, and a ramp under a pod's
// memory.high, each beside a control; --only runs the modes whose name contains TEXT (parts separated by |).
//
// The service proof: dotnet run -c Release --project examples/CacheUnderLimit -- --service [--runs N]
// runs examples/WebService (cache-aside, zero-config hosting) under a 256 MiB cgroup and 20 s of load
// from 64 clients on random keys, with the defaults, with the v1 signals off, and as a control;
// arguments of the form --MemoryPressure:Key=value or --Logging:Key=value are given to every configuration's service.
//
// The cost proof: dotnet run -c Release --project examples/CacheUnderLimit -- --cost [--rounds N (20)] [--seconds N (5)] [--warm-up N (10)]
// runs the web example's cache-aside service bare, protected by the defaults, and protected with the v1
// signals off, three processes side by side on one core, loaded in turn by wrk (apt-get install -y wrk)
// on the other, at rest (all hits, no limit) and under churn (values expiring, a 2 GiB limit), in
// alternating rounds, and prints the throughput, p99 latency, CPU per request, collections and the
// library's own CPU, as ratios to the bare turn of each round.
//
// The limit is a cgroup v1 memory cgroup when this runs as root with the v1 memory controller
// mounted, otherwise DOTNET_GCHeapHardLimit. The parent starts itself as each child:
//        dotnet CacheUnderLimit.dll --mode none|runtime-caching|reactive --seconds N
using System.Globalization;
using CacheUnderLimit;
using CacheUnderLimit.Child;
using CacheUnderLimit.Proof;
using CacheUnderLimit.Ramp;
using MemoryPressure.Reactive;

if (args is ["--mode", var mode, "--seconds", var seconds])
{
    return await ChildProgram.RunAsync(CacheModeNames.Parse(mode), TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));
}

if (args is ["--ramp-child", var condition, var signals, var rate, var total, var checkMilliseconds, var guard])
{
    return RampChild.Run(
        MemoryCondition.Parse(condition),
        RampSignalsExtensions.ParseSignals(signals),
        double.Parse(rate, CultureInfo.InvariantCulture),
        long.Parse(total, CultureInfo.InvariantCulture),
        TimeSpan.FromMilliseconds(double.Parse(checkMilliseconds, CultureInfo.InvariantCulture)),
        Enum.Parse<RampGuard>(guard));
}

if (args is ["--moves-child", var movesKind, var movesGuard, var movesRate])
{
    return CacheUnderLimit.Moves.MovesChild.Run(Enum.Parse<CacheUnderLimit.Moves.MovesKind>(movesKind), movesGuard == "guarded", double.Parse(movesRate, CultureInfo.InvariantCulture));
}

if (args is ["--moves", ..])
{
    return await CacheUnderLimit.Moves.MovesProof.RunAsync(
        args is [_, "--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 5, Path.Combine("artifacts", "CacheUnderLimit"), Console.Out);
}

if (args is ["--real-v2", ..])
{
    return await CacheUnderLimit.Moves.GuestProof.RunAsync(
        args is [_, "--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 5,
        args.SkipWhile(arg => arg != "--only").Skip(1).FirstOrDefault(),
        Path.Combine("artifacts", "CacheUnderLimit"),
        Console.Out);
}

if (args is ["--ramp-cpu-child", var cpuSignals])
{
    return RampCpu.RunChild(RampSignalsExtensions.ParseSignals(cpuSignals));
}

if (ChildMemoryLimit.WhyUnavailable() is { } reason)
{
    Console.Error.WriteLine($"No memory limit can be set here: {reason}.");
    return 1;
}

if (args is ["--service", ..])
{
    return await CacheUnderLimit.Service.ServiceProof.RunAsync(
        args is [_, "--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 5,
        [.. args.Where(arg => arg.StartsWith("--MemoryPressure:", StringComparison.Ordinal) || arg.StartsWith("--Logging:", StringComparison.Ordinal))],
        Console.Out);
}

if (args is ["--cost", ..])
{
    int Option(string name, int fallback) =>
        args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
    if (CacheUnderLimit.Cost.CostProof.WhyUnavailable() is { } unavailable)
    {
        Console.Error.WriteLine($"The cost proof cannot run here: {unavailable}.");
        return 1;
    }

    await CacheUnderLimit.Cost.CostProof.RunAsync(
        Option("--rounds", 20), TimeSpan.FromSeconds(Option("--seconds", 5)), TimeSpan.FromSeconds(Option("--warm-up", 10)), Path.Combine("artifacts", "CacheUnderLimit"), Console.Out);
    return 0;
}

if (args is ["--ramp-cpu", ..])
{
    return await RampCpu.RunParentAsync(args is [_, "--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 3, Console.Out);
}

if (args is ["--ramp-modes", ..])
{
    var runs = args is [_, "--runs", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 10;
    await RampModes.RunAsync(runs, Path.Combine("artifacts", "CacheUnderLimit"), Console.Out);
    return 0;
}

if (args.Contains("--ramp"))
{
    await RampProof.RunAsync(RampOptions.Parse(args), Console.Out);
    return 0;
}

await ProofRun.RunAsync(ProofOptions.Parse(args), Console.Out);
return 0;
