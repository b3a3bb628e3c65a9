using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using MemoryPressure.Reactive.Diagnostics.Writing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Writing;

/// <summary>The runtime's <c>createdump</c>, for real, on this process.</summary>
[Collection(DumpTests.Name)]
public class CreateDumpWriterOnThisProcessTests
{
    [SkippableFact]
    public async Task A_dump_createdump_cannot_write_fails_with_createdump_s_own_words()
    {
        var writer = new CreateDumpWriter();
        Skip.If(writer.WhyUnavailable() is not null, writer.WhyUnavailable());
        var path = Path.Combine(Path.GetTempPath(), $"mpr-missing-{Guid.NewGuid():N}", "memory.dmp");

        var e = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(path, CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Matches(@"^createdump exited with \d+ writing .+: \[createdump\] ", e.Message);
            Assert.DoesNotContain("waiting for attach", e.Message, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }
}
