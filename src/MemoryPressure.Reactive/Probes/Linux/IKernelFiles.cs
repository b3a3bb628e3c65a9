using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// The little the Linux probe needs of the file system: read a small kernel file whole.
/// Kept as an interface so the parsers and the probe's fallbacks are tested against captured
/// files and a dictionary-backed fake.
/// </summary>
internal interface IKernelFiles
{
    /// <summary>
    /// Reads the file at <paramref name="path"/> from its start into <paramref name="buffer"/>.
    /// </summary>
    /// <returns>
    /// The number of bytes read (the file's length, or <paramref name="buffer"/>'s length when the
    /// file is longer), or <c>-1</c> when the file is missing or cannot be read.
    /// </returns>
    int Read(string path, Span<byte> buffer);

    /// <summary>Closes whatever is held open for files read so far.</summary>
    void Release();
}

/// <summary>Reads over <see cref="IKernelFiles"/>.</summary>
internal static class KernelFilesExtensions
{
    /// <summary>Reads a file of unknown length whole, growing the buffer as needed.</summary>
    /// <returns>The number of bytes read, or <c>-1</c> when the file is missing or cannot be read.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ReadWhole(this IKernelFiles files, string path, ref byte[] buffer)
    {
        while (true)
        {
            var length = files.Read(path, buffer);
            if (length < buffer.Length)
            {
                return length;
            }

            buffer = new byte[buffer.Length * 2];
        }
    }
}
