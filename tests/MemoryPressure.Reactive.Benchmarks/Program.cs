using System.Globalization;
using BenchmarkDotNet.Running;
using MemoryPressure.Reactive.Benchmarks.Idle;
using MemoryPressure.Reactive.Benchmarks.Manager;
using MemoryPressure.Reactive.Benchmarks.Triggers;
using MemoryPressure.Reactive.Benchmarks.Sizing;

// Run all: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --filter '*'
// ObjectSize cold, in fresh processes: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --cold-objectsize [processes]
// A manager's idle cost, net of a control process (90 s): dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --idle
// The same for a generic host with AddMemoryPressure(), net of the bare host: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --idle-hosted
// A manager's cold start, in fresh processes: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --cold-manager [processes]
// What a subscribe or dispose on another thread waits for, under a feed judged back to back and under polling: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --subscribe-wait [seconds]
// The push triggers' detection latency against polling (root, cgroup v1): dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --trigger-latency [runs]
// The CPU at rest of a manager's own threads with every push source on: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --trigger-cpu [seconds]
return args switch
{
    ["--cold-objectsize"] => ColdObjectSize.RunParent(5),
    ["--cold-objectsize", var processes] => ColdObjectSize.RunParent(int.Parse(processes, CultureInfo.InvariantCulture)),
    ["--cold-objectsize-child"] => ColdObjectSize.RunChild(),
    ["--idle"] => IdleCost.RunParent(hosted: false),
    ["--idle-hosted"] => IdleCost.RunParent(hosted: true),
    ["--cold-manager"] => ColdStart.RunParent(5),
    ["--cold-manager", var processes] => ColdStart.RunParent(int.Parse(processes, CultureInfo.InvariantCulture)),
    ["--cold-manager-child"] => ColdStart.RunChild(),
    ["--idle-child", var kind] => IdleCost.RunChild(kind),
    ["--subscribe-wait"] => SubscribeWait.Run(10),
    ["--subscribe-wait", var seconds] => SubscribeWait.Run(int.Parse(seconds, CultureInfo.InvariantCulture)),
    ["--trigger-latency"] => TriggerMeasurements.RunLatency(25),
    ["--trigger-latency", var runs] => TriggerMeasurements.RunLatency(int.Parse(runs, CultureInfo.InvariantCulture)),
    ["--trigger-cpu"] => TriggerMeasurements.RunCpu(60),
    ["--trigger-cpu", var seconds] => TriggerMeasurements.RunCpu(int.Parse(seconds, CultureInfo.InvariantCulture)),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
