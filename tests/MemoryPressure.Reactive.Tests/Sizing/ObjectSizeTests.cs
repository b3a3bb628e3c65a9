using System.Collections;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Sizing;

/// <summary>
/// Sizes worked out by hand for a 64-bit process: an object is an 8-byte header, an 8-byte
/// MethodTable pointer and its fields, rounded up to 8 bytes, at least 24; arrays add a length
/// (padded to 8) and their elements; strings add a 4-byte length, 2 bytes per character and a
/// 2-byte terminator.
/// </summary>
[Collection(SerialTests.Name)]
public class ObjectSizeTests
{
    private const long PlainObject = 24;

    // Header, MethodTable pointer, Next, Value (4 bytes, padded).
    private const long NodeSize = 32;

    private static long StringSize(int length) => Align(22 + (2L * length));

    private static long Align(long size) => (size + 7) & ~7L;

    [Fact]
    public void Null_weighs_nothing() => Assert.Equal(0, ObjectSize.GetSize(null));

    [SkippableFact]
    public void An_empty_string_is_24_bytes()
    {
        SkipUnless64Bit();
        Assert.Equal(24, ObjectSize.GetSize(string.Empty));
    }

    [SkippableFact]
    public void A_string_is_22_bytes_plus_2_per_character_rounded_up_to_8()
    {
        SkipUnless64Bit();
        Assert.Equal(32, ObjectSize.GetSize("abc"));
        Assert.Equal(272, ObjectSize.GetSize(new string('x', 123)));
        Assert.Equal(StringSize(1000), ObjectSize.GetSize(new string('y', 1000)));
    }

    [SkippableFact]
    public void A_new_object_is_24_bytes()
    {
        SkipUnless64Bit();
        Assert.Equal(PlainObject, ObjectSize.GetSize(new object()));
    }

    [SkippableFact]
    public void A_byte_array_of_100_is_128_bytes()
    {
        SkipUnless64Bit();
        Assert.Equal(128, ObjectSize.GetSize(new byte[100]));
    }

    [SkippableFact]
    public void A_boxed_int_is_24_bytes_and_a_boxed_long_too()
    {
        SkipUnless64Bit();
        Assert.Equal(24, ObjectSize.GetSize(42));
        Assert.Equal(24, ObjectSize.GetSize(42L));
    }

    [SkippableFact]
    public void An_array_of_references_counts_itself_and_each_distinct_element_once()
    {
        SkipUnless64Bit();
        var shared = new object();
        var other = new object();

        var size = ObjectSize.GetSize(new[] { shared, other, shared, null });

        Assert.Equal(Align(24 + (4 * 8)) + PlainObject + PlainObject, size);
    }

    [SkippableFact]
    public void A_two_dimensional_array_adds_its_bounds_to_the_header()
    {
        SkipUnless64Bit();

        // Header, MethodTable, length and padding, then a length and a lower bound per dimension.
        Assert.Equal(Align(24 + 16 + (6 * 4)), ObjectSize.GetSize(new int[2, 3]));
        Assert.Equal(Align(24 + 16 + (4 * 8)) + PlainObject, ObjectSize.GetSize(new object?[2, 2] { { null, new object() }, { null, null } }));
    }

    [SkippableFact]
    public void A_jagged_array_counts_the_outer_array_and_each_row()
    {
        SkipUnless64Bit();
        int[][] jagged = [new int[1], new int[2], new int[3]];

        Assert.Equal(Align(24 + (3 * 8)) + Align(24 + 4) + Align(24 + 8) + Align(24 + 12), ObjectSize.GetSize(jagged));
    }

    [SkippableFact]
    public void An_object_that_references_itself_counts_once()
    {
        SkipUnless64Bit();
        var node = new Node();
        node.Next = node;

        Assert.Equal(NodeSize, ObjectSize.GetSize(node));
    }

    [SkippableFact]
    public void Objects_that_reference_each_other_count_once_each()
    {
        SkipUnless64Bit();
        var first = new Node();
        var second = new Node { Next = first };
        first.Next = second;

        Assert.Equal(2 * NodeSize, ObjectSize.GetSize(first));
    }

    [SkippableFact]
    public void A_string_two_objects_share_counts_once()
    {
        SkipUnless64Bit();
        var name = new string('n', 10);
        var pair = new Pair(new Labelled(name), new Labelled(name));

        // Pair: header, MethodTable, two references. Labelled: header, MethodTable, one reference.
        Assert.Equal(32 + 24 + 24 + StringSize(10), ObjectSize.GetSize(pair));
    }

    [SkippableFact]
    public void A_linked_list_a_million_nodes_deep_is_walked_without_stack_overflow()
    {
        SkipUnless64Bit();
        Node? head = null;
        for (var i = 0; i < 1_000_000; i++)
        {
            head = new Node { Next = head, Value = i };
        }

        Assert.Equal(1_000_000 * NodeSize, ObjectSize.GetSize(head));
    }

    [SkippableFact]
    public void References_inside_a_struct_field_are_followed()
    {
        SkipUnless64Bit();
        var holder = new StructHolder { Inside = new Gapped { First = new byte[100], Second = new object() } };

        // StructHolder: header, MethodTable, the 32-byte struct.
        Assert.Equal(16 + 32 + 128 + PlainObject, ObjectSize.GetSize(holder));
    }

    [SkippableFact]
    public void References_inside_an_array_of_structs_are_followed_across_gaps_and_into_what_they_reference()
    {
        SkipUnless64Bit();
        var shared = new Node();
        var elements = new Gapped[1000];
        for (var i = 0; i < elements.Length; i++)
        {
            // Every element holds a node with a node of its own (scanned before the array resumes),
            // every other one a byte array, and all of them the same shared node.
            elements[i] = new Gapped
            {
                First = new Node { Next = new Node() },
                AfterFirst = i,
                Second = i % 2 == 0 ? new byte[8] : shared,
                AfterSecond = -i,
            };
        }

        var expected = Align(24 + (1000 * 32)) + (1000 * 2 * NodeSize) + (500 * 32) + NodeSize;
        Assert.Equal(expected, ObjectSize.GetSize(elements));
    }

    [SkippableFact]
    public void Static_fields_are_not_followed()
    {
        SkipUnless64Bit();
        WithStatic.Shared = new byte[10_000];

        Assert.Equal(PlainObject, ObjectSize.GetSize(new WithStatic()));
    }

    [SkippableFact]
    public void IntPtrs_to_unmanaged_memory_are_sized_but_not_followed()
    {
        SkipUnless64Bit();
        var unmanaged = Marshal.AllocHGlobal(1000);
        try
        {
            var holder = new HoldsPointers(unmanaged, 1000);

            // Header, MethodTable, an IntPtr and a UIntPtr.
            Assert.Equal(32, ObjectSize.GetSize(holder));
        }
        finally
        {
            Marshal.FreeHGlobal(unmanaged);
        }
    }

    [SkippableFact]
    public void A_pinned_array_is_sized_like_any_other()
    {
        SkipUnless64Bit();
        Assert.Equal(128, ObjectSize.GetSize(GC.AllocateArray<byte>(100, pinned: true)));
    }

    [SkippableFact]
    public void The_walk_runs_no_code_of_the_objects_it_walks()
    {
        SkipUnless64Bit();
        var second = new Hostile();
        var hostile = new Hostile { Other = second };
        second.Other = hostile;

        // Hostile: header, MethodTable, one reference; each throws from every overridable member.
        Assert.Equal(2 * 24, ObjectSize.GetSize(hostile));
        Assert.Equal(24, ObjectSize.GetSize(new ThrowingEnumerable()));
    }

    [Fact]
    public void Walking_does_not_change_the_graph()
    {
        var list = new List<string> { "a", "b" };
        var dictionary = new Dictionary<string, List<string>> { ["key"] = list };

        ObjectSize.GetSize(dictionary);

        Assert.Equal(["a", "b"], dictionary["key"]);
        Assert.Single(dictionary);
        Assert.Same(list, dictionary["key"]);
    }

    [Fact]
    public async Task A_walk_while_other_threads_rewrite_the_graph_ends_with_a_size_between_the_smallest_and_largest_graph()
    {
        var small = new object();
        var large = new byte[1000];
        var slots = new object[10_000];
        Array.Fill(slots, small);
        var smallest = ObjectSize.GetSize(slots);
        var largest = smallest + ObjectSize.GetSize(large);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                slots[i % slots.Length] = i % 3 == 0 ? large : small;
            }
        });
        try
        {
            for (var walk = 0; walk < 200; walk++)
            {
                Assert.InRange(ObjectSize.GetSize(slots), smallest, largest);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public void Following_a_million_references_to_a_few_objects_allocates_almost_nothing()
    {
        var few = Enumerable.Range(0, 10).Select(_ => new object()).ToArray();
        var references = new object[1_000_000];
        for (var i = 0; i < references.Length; i++)
        {
            references[i] = few[i % few.Length];
        }

        var allocated = AllocatedBy(() => ObjectSize.GetSize(references));

        Assert.InRange(allocated, 0, 16 * 1024);
    }

    [Fact]
    public void A_million_element_array_of_objects_holding_references_is_walked_without_a_million_element_stack()
    {
        var shared = new Node();
        var nodes = new Node[1_000_000];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = new Node { Next = shared };
        }

        var allocated = AllocatedBy(() => ObjectSize.GetSize(nodes));

        // The visited bitmap is a 64th of the 40 MB graph; a stack of the pending nodes alone would be 16 MB.
        Assert.InRange(allocated, 0, 4 * 1024 * 1024);
    }

    private static long AllocatedBy(Func<long> measure)
    {
        // Once to load and compile what the walk needs, then for real.
        measure();
        var before = GC.GetAllocatedBytesForCurrentThread();
        measure();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void SkipUnless64Bit() =>
        Skip.IfNot(Environment.Is64BitProcess, "the sizes worked out here are those of a 64-bit process");

    private sealed class Node
    {
        public Node? Next;
        public int Value;
    }

    private sealed class Labelled(string label)
    {
        public string Label { get; } = label;
    }

    private sealed class Pair(Labelled first, Labelled second)
    {
        public Labelled First { get; } = first;

        public Labelled Second { get; } = second;
    }

    /// <summary>Two references with 8 bytes of plain data after each: two runs with gaps in an array's descriptor.</summary>
    [StructLayout(LayoutKind.Explicit)]
    private struct Gapped
    {
        [FieldOffset(0)]
        public object? First;

        [FieldOffset(8)]
        public long AfterFirst;

        [FieldOffset(16)]
        public object? Second;

        [FieldOffset(24)]
        public long AfterSecond;
    }

    private sealed class StructHolder
    {
        public Gapped Inside;
    }

    private sealed class WithStatic
    {
        public static byte[]? Shared;
    }

    private sealed class HoldsPointers(IntPtr memory, nuint length)
    {
        public IntPtr Memory { get; } = memory;

        public nuint Length { get; } = length;
    }

    private sealed class Hostile
    {
        private Hostile? _other;

        public Hostile? Other
        {
            get => throw new InvalidOperationException("a getter ran");
            set => _other = value;
        }

        public override bool Equals(object? obj) => throw new InvalidOperationException("Equals ran");

        public override int GetHashCode() => throw new InvalidOperationException("GetHashCode ran");

        public override string ToString() => throw new InvalidOperationException("ToString ran");
    }

    private sealed class ThrowingEnumerable : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => throw new InvalidOperationException("GetEnumerator ran");

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
