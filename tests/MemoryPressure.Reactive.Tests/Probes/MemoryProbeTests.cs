namespace MemoryPressure.Reactive.Tests.Probes;

/// <summary>The default probe, shared by everyone in the process.</summary>
public class MemoryProbeTests
{
    [Fact]
    public void Disposing_the_default_probe_leaves_it_working_for_everyone_else()
    {
        if (MemoryProbe.Default is IDisposable disposable)
        {
            disposable.Dispose();
        }

        Assert.InRange(MemoryProbe.Default.Read().ProcessResidentBytes, 1, long.MaxValue);
    }
}
