namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// Tests that must run alone: they make cgroups, start children that fill memory on purpose, time
/// what they see, or count garbage collections and allocations that a parallel test would disturb.
/// </summary>
/// <remarks>
/// Alone within their assembly (no parallelization), and alone on the machine: the collection holds
/// <see cref="MachineWideTestLock"/> while it runs, so the serial tests of another test assembly
/// (<c>dotnet test</c> on the solution runs the assemblies side by side) wait for them, and they for it.
/// This file is compiled into every test assembly that has such tests.
/// </remarks>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests : ICollectionFixture<MachineWideTestLock>
{
    public const string Name = "serial";
}

/// <summary>A lock across every process of the machine, held from the first serial test of an assembly to its last.</summary>
/// <remarks>
/// A named mutex, which the runtime shares between processes on Linux, macOS and Windows alike. A
/// mutex belongs to the thread that took it, and xUnit may create and dispose a fixture on different
/// threads, so a thread of its own takes it, holds it and gives it back. A test process that dies
/// holding it abandons it, and the next one takes it over.
/// </remarks>
public sealed class MachineWideTestLock : IDisposable
{
    private static readonly TimeSpan MostToWait = TimeSpan.FromMinutes(30);
    private readonly ManualResetEventSlim _taken = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _holder;
    private Exception? _failure;

    public MachineWideTestLock()
    {
        _holder = new Thread(Hold) { IsBackground = true, Name = nameof(MachineWideTestLock) };
        _holder.Start();
        _taken.Wait();
        if (_failure is not null)
        {
            throw new InvalidOperationException("The machine-wide lock of the serial tests could not be taken.", _failure);
        }
    }

    public void Dispose()
    {
        _release.Set();
        _holder.Join();
        _taken.Dispose();
        _release.Dispose();
    }

    private void Hold()
    {
        try
        {
            using var mutex = new Mutex(initiallyOwned: false, @"Global\MemoryPressure.Reactive.SerialTests");
            try
            {
                if (!mutex.WaitOne(MostToWait))
                {
                    throw new TimeoutException($"another test run held the lock for over {MostToWait.TotalMinutes} minutes");
                }
            }
            catch (AbandonedMutexException)
            {
                // Its holder died; the mutex is ours now.
            }

            _taken.Set();
            _release.Wait();
            mutex.ReleaseMutex();
        }
        catch (Exception e) when (!_taken.IsSet)
        {
            _failure = e;
            _taken.Set();
        }
    }
}
