using System.Globalization;
using BenchmarkDotNet.Running;
using MemoryPressure.Reactive.Benchmarks.Sizing;

// Run all: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --filter '*'
// ObjectSize cold, in fresh processes: dotnet run -c Release --project tests/MemoryPressure.Reactive.Benchmarks -- --cold-objectsize [processes]
return args switch
{
    ["--cold-objectsize"] => ColdObjectSize.RunParent(5),
    ["--cold-objectsize", var processes] => ColdObjectSize.RunParent(int.Parse(processes, CultureInfo.InvariantCulture)),
    ["--cold-objectsize-child"] => ColdObjectSize.RunChild(),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
