using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Sizing;

/// <summary>The graphs whose sizes are checked against a heap dump, by name.</summary>
internal static class ExactnessGraphs
{
    private static readonly (string Name, Func<object> Build)[] All =
    [
        ("empty string", () => string.Empty),
        ("string of 123 characters", () => new string('x', 123)),
        ("long string", () => new string('l', 100_000)),
        ("array of ints", () => Enumerable.Range(0, 1000).ToArray()),
        ("array of bytes", () => new byte[100]),
        ("array of doubles", () => new double[7]),
        ("array of references with nulls and repeats", () => Repeats(Shared())),
        ("array of key-value pairs", () => Enumerable.Range(0, 50).Select(i => new KeyValuePair<string, object>(i.ToString("D3"), new byte[i])).ToArray()),
        ("array of tuples", () => Tuples(Shared())),
        ("array of structs with gaps holding objects that hold objects", () => GappedArray(Shared())),
        ("two-dimensional array of strings", () => new[,] { { "a", Shared(), null }, { null, "b", new string('c', 9) } }),
        ("three-dimensional array of ints", () => new int[2, 3, 4]),
        ("jagged array of ints", () => new[] { new int[1], new int[20], Array.Empty<int>() }),
        ("jagged array of objects", () => new[] { new object[] { Shared() }, new object[] { new object(), new object[3] } }),
        ("boxed int", () => 42),
        ("boxed struct holding references", () => new KeyValuePair<string, int[]>(Shared(), new int[5])),
        ("boxed values of several kinds", () => new object[] { 3.14, 'c', DateTime.UnixEpoch, (int?)5, Guid.Empty, decimal.One }),
        ("class with inheritance and padding", () => new Derived()),
        ("record", () => new Person("Ada", 36, ["math", "engines"])),
        ("closure", () => Closure(Shared())),
        ("multicast delegate", () => Multicast()),
        ("list of strings", () => Enumerable.Range(0, 100).Select(i => i.ToString("X")).ToList()),
        ("dictionary of lists", () => Enumerable.Range(0, 100).ToDictionary(i => i.ToString("D2"), i => Enumerable.Range(0, i % 7).ToList())),
        ("concurrent dictionary", () => new ConcurrentDictionary<int, string>(Enumerable.Range(0, 200).Select(i => KeyValuePair.Create(i, new string('v', i % 30))))),
        ("immutable list", () => ImmutableList.CreateRange(Enumerable.Range(0, 300).Select(i => i.ToString("D4")))),
        ("self-referencing object", () => SelfReferencing()),
        ("mutually referencing objects", () => MutuallyReferencing()),
        ("linked list of a million nodes", () => LinkedList(1_000_000)),
        ("dictionary of small records", () => Enumerable.Range(0, 10_000).ToDictionary(i => i, i => new SmallRecord(i, $"record {i}", new byte[i % 64]))),
        // The IntPtr points nowhere: following it would crash.
        ("object holding an IntPtr and a pinned array", () => new HoldsUnmanaged(new IntPtr(0x0BAD_F00D), GC.AllocateArray<byte>(100, pinned: true))),
    ];

    /// <summary>Gets the names of the graphs, without building them.</summary>
    public static IEnumerable<string> Names => All.Select(graph => graph.Name);

    /// <summary>Builds every graph.</summary>
    public static IReadOnlyDictionary<string, object> Create() => All.ToDictionary(graph => graph.Name, graph => graph.Build());

    /// <summary>A string several objects of a graph share.</summary>
    private static string Shared() => new('s', 40);

    private static object?[] Repeats(string shared) => [shared, null, shared, new object(), "literal", null];

    private static (int, string?, object)[] Tuples(string shared) =>
        [.. Enumerable.Range(0, 20).Select(i => (i, i % 3 == 0 ? null : shared, (object)i))];

    private static Gapped[] GappedArray(string shared)
    {
        var elements = new Gapped[100];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = new Gapped
            {
                First = i % 4 == 0 ? null : new Node { Next = new Node() },
                Number = i,
                Second = i % 2 == 0 ? shared : new byte[i],
            };
        }

        return elements;
    }

    private static Func<int> Closure(string captured)
    {
        var counter = captured.Length;
        return () => counter++ + captured.Length;
    }

    private static Action Multicast()
    {
        var first = new Node();
        var second = new Derived();
        Action action = first.Touch;
        action += second.Touch;
        action += static () => { };
        return action;
    }

    private static Node SelfReferencing()
    {
        var node = new Node();
        node.Next = node;
        return node;
    }

    private static Node MutuallyReferencing()
    {
        var first = new Node();
        first.Next = new Node { Next = first };
        return first;
    }

    private static Node LinkedList(int length)
    {
        var head = new Node();
        for (var i = 1; i < length; i++)
        {
            head = new Node { Next = head, Value = i };
        }

        return head;
    }

    internal sealed class Node
    {
        public Node? Next { get; set; }

        public int Value { get; set; }

        public void Touch() => Value++;
    }

    internal class Base
    {
        private byte _flag = 1;

        public byte Flag => _flag;
    }

    internal class Middle : Base
    {
        public long Wide { get; set; } = 2;

        public byte Narrow { get; set; } = 3;
    }

    internal sealed class Derived : Middle
    {
        public object Reference { get; } = new();

        public short Short { get; set; } = 4;

        public void Touch() => Short++;
    }

    internal sealed record Person(string Name, int Age, List<string> Tags);

    internal sealed record SmallRecord(int Id, string Name, byte[] Payload);

    internal sealed class HoldsUnmanaged(IntPtr memory, byte[] pinned)
    {
        public IntPtr Memory { get; } = memory;

        public byte[] Pinned { get; } = pinned;
    }

    /// <summary>References with plain data between them: a repeating GC descriptor with gaps.</summary>
    [StructLayout(LayoutKind.Explicit)]
    internal struct Gapped
    {
        [FieldOffset(0)]
        public Node? First;

        [FieldOffset(8)]
        public long Number;

        [FieldOffset(16)]
        public object? Second;
    }
}
