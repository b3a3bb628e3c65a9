using System.Diagnostics;

namespace MemoryPressure.Reactive.Benchmarks;

/// <summary>Starts this program again as a fresh process, for the measurements a warmed-up process would hide.</summary>
internal static class FreshProcess
{
    /// <summary>Starts this program with <paramref name="arguments"/>, its standard output redirected.</summary>
    /// <remarks>Run through <c>dotnet</c>, the program's assembly comes first; run as its own apphost, it does not.</remarks>
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith(typeof(FreshProcess).Assembly.GetName().Name!, StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(FreshProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
