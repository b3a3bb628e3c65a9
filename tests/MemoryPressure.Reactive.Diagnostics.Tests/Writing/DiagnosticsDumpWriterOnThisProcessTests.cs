using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using MemoryPressure.Reactive.Diagnostics.Writing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Writing;

/// <summary>The runtime's dump writer, for real, on this process.</summary>
[Collection(DumpTests.Name)]
public class DiagnosticsDumpWriterOnThisProcessTests
{
    [SkippableFact]
    public async Task A_dump_the_runtime_cannot_write_fails_with_the_runtime_s_reason()
    {
        var writer = new DiagnosticsDumpWriter();
        Skip.If(writer.WhyUnavailable() is not null, writer.WhyUnavailable());
        var path = Path.Combine(Path.GetTempPath(), $"mpr-missing-{Guid.NewGuid():N}", "memory.dmp");

        var e = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(path, CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }
}
