namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>The memory of the dumped process, as the walker reads it.</summary>
internal interface IHeapMemory
{
    /// <summary>Copies memory of the dumped process starting at <paramref name="address"/>.</summary>
    /// <returns>The number of bytes copied; fewer than asked when the dump lacks the rest.</returns>
    int Read(ulong address, Span<byte> buffer);
}
