using System.Text;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>Kernel files held in a dictionary, loaded from a captured fixture and changed by tests.</summary>
internal sealed class FakeKernelFiles : IKernelFiles
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public int Releases { get; private set; }

    public Dictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

    /// <summary>Loads every file under <c>fixtures/{name}</c> as if it sat at the root.</summary>
    public static FakeKernelFiles FromFixture(string name)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "fixtures", name);
        var files = new FakeKernelFiles();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            files._files["/" + Path.GetRelativePath(root, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }

        return files;
    }

    public void Set(string path, string content) => _files[path] = Encoding.UTF8.GetBytes(content);

    public void Remove(string path) => Assert.True(_files.Remove(path), $"no file {path} to remove");

    public void RemoveUnder(string directory)
    {
        foreach (var path in _files.Keys.Where(p => p.StartsWith(directory + "/", StringComparison.Ordinal)).ToList())
        {
            _files.Remove(path);
        }
    }

    public string Text(string path) => Encoding.UTF8.GetString(_files[path]);

    public int Read(string path, Span<byte> buffer)
    {
        Reads[path] = Reads.GetValueOrDefault(path) + 1;
        if (!_files.TryGetValue(path, out var content))
        {
            return -1;
        }

        var count = Math.Min(content.Length, buffer.Length);
        content.AsSpan(0, count).CopyTo(buffer);
        return count;
    }

    public void Release() => Releases++;
}
