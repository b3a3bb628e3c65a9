namespace MemoryPressure.Reactive.Tests.Sizing;

public class ObjectSizeOptionsTests
{
    // The root, the shared object and its buffer, the array, ten items and their ten names.
    private const int GraphObjects = 24;

    [Fact]
    public void Defaults_exclude_nothing_set_no_limit_and_list_no_types()
    {
        var options = new ObjectSizeOptions();

        Assert.Null(options.Exclude);
        Assert.Equal(long.MaxValue, options.MaximumObjects);
        Assert.Equal(long.MaxValue, options.MaximumBytes);
        Assert.Equal(0, options.TopTypes);
    }

    [Fact]
    public void A_negative_maximum_number_of_objects_is_rejected_naming_the_property()
    {
        var options = new ObjectSizeOptions();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.MaximumObjects = -1);

        Assert.Equal(nameof(ObjectSizeOptions.MaximumObjects), error.ParamName);
        Assert.Equal(long.MaxValue, options.MaximumObjects);
    }

    [Fact]
    public void A_negative_maximum_number_of_bytes_is_rejected_naming_the_property()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectSizeOptions { MaximumBytes = -1 });

        Assert.Equal(nameof(ObjectSizeOptions.MaximumBytes), error.ParamName);
    }

    [Fact]
    public void A_negative_number_of_top_types_is_rejected_naming_the_property()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectSizeOptions { TopTypes = -1 });

        Assert.Equal(nameof(ObjectSizeOptions.TopTypes), error.ParamName);
    }

    [Fact]
    public void Null_options_are_rejected_naming_the_parameter()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ObjectSize.GetSize(new object(), null!));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void A_null_root_weighs_nothing_and_did_not_stop_early()
    {
        var result = ObjectSize.GetSize(null, new ObjectSizeOptions { TopTypes = 3 });

        Assert.Equal(0, result.Bytes);
        Assert.Equal(0, result.ObjectCount);
        Assert.False(result.StoppedEarly);
        Assert.Empty(result.TopTypes);
    }

    [Fact]
    public void Without_options_that_need_them_the_result_matches_the_plain_size()
    {
        var graph = Graph();

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions());

        Assert.Equal(ObjectSize.GetSize(graph), result.Bytes);
        Assert.Equal(GraphObjects, result.ObjectCount);
        Assert.Equal(ObjectSizeStopReason.None, result.StopReason);
        Assert.Empty(result.TopTypes);
    }

    [Fact]
    public void An_excluded_type_is_neither_counted_nor_followed()
    {
        var graph = Graph();
        var whole = ObjectSize.GetSize(graph);

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions { Exclude = type => type == typeof(Shared) });

        // The shared object and the buffer only it references are left out.
        Assert.Equal(whole - ObjectSize.GetSize(graph.Shared), result.Bytes);
        Assert.Equal(GraphObjects - 2, result.ObjectCount);
    }

    [Fact]
    public void An_excluded_root_weighs_nothing()
    {
        var result = ObjectSize.GetSize(Graph(), new ObjectSizeOptions { Exclude = type => type == typeof(Root) });

        Assert.Equal(0, result.Bytes);
        Assert.Equal(0, result.ObjectCount);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void The_exclusion_predicate_is_asked_once_per_type()
    {
        var asked = new List<Type>();

        ObjectSize.GetSize(Graph(), new ObjectSizeOptions { Exclude = type => { asked.Add(type); return false; } });

        Assert.Equal(asked.Distinct().Count(), asked.Count);
        Assert.Equal(
            new[] { typeof(Root), typeof(Item[]), typeof(Item), typeof(string), typeof(Shared), typeof(byte[]) }.OrderBy(type => type.Name),
            asked.OrderBy(type => type.Name));
    }

    [Fact]
    public void An_exception_from_the_exclusion_predicate_propagates()
    {
        var options = new ObjectSizeOptions { Exclude = _ => throw new InvalidOperationException("predicate") };

        var error = Assert.Throws<InvalidOperationException>(() => ObjectSize.GetSize(Graph(), options));

        Assert.Equal("predicate", error.Message);
    }

    [Fact]
    public void The_walk_stops_before_exceeding_the_maximum_number_of_objects_and_says_so()
    {
        var result = ObjectSize.GetSize(Graph(), new ObjectSizeOptions { MaximumObjects = 5 });

        Assert.Equal(5, result.ObjectCount);
        Assert.True(result.StoppedEarly);
        Assert.Equal(ObjectSizeStopReason.MaximumObjects, result.StopReason);
        Assert.True(result.Bytes < ObjectSize.GetSize(Graph()));
    }

    [Fact]
    public void A_graph_of_exactly_the_maximum_number_of_objects_is_counted_whole()
    {
        var graph = Graph();

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions { MaximumObjects = GraphObjects });

        Assert.Equal(GraphObjects, result.ObjectCount);
        Assert.False(result.StoppedEarly);
        Assert.Equal(ObjectSize.GetSize(graph), result.Bytes);
    }

    [Fact]
    public void A_maximum_of_zero_objects_counts_nothing()
    {
        var result = ObjectSize.GetSize(Graph(), new ObjectSizeOptions { MaximumObjects = 0 });

        Assert.Equal(0, result.Bytes);
        Assert.Equal(ObjectSizeStopReason.MaximumObjects, result.StopReason);
    }

    [Fact]
    public void The_walk_stops_before_exceeding_the_maximum_number_of_bytes_and_says_so()
    {
        var graph = Graph();
        var limit = ObjectSize.GetSize(graph) - 1;

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions { MaximumBytes = limit });

        Assert.InRange(result.Bytes, 1, limit);
        Assert.Equal(ObjectSizeStopReason.MaximumBytes, result.StopReason);
        Assert.True(result.StoppedEarly);
    }

    [Fact]
    public void A_graph_of_exactly_the_maximum_number_of_bytes_is_counted_whole()
    {
        var graph = Graph();
        var whole = ObjectSize.GetSize(graph);

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions { MaximumBytes = whole });

        Assert.Equal(whole, result.Bytes);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void Top_types_lists_the_types_taking_the_most_bytes_largest_first()
    {
        var graph = Graph();

        var result = ObjectSize.GetSize(graph, new ObjectSizeOptions { TopTypes = 2 });

        Assert.Equal(2, result.TopTypes.Count);
        Assert.Equal(typeof(string), result.TopTypes[0].Type);
        Assert.Equal(10, result.TopTypes[0].ObjectCount);
        Assert.Equal(graph.Items.Sum(item => ObjectSize.GetSize(item.Name)), result.TopTypes[0].Bytes);
        Assert.Equal(typeof(Item), result.TopTypes[1].Type);
        Assert.True(result.TopTypes[0].Bytes >= result.TopTypes[1].Bytes);
    }

    [Fact]
    public void Top_types_add_up_to_the_total_when_all_are_listed()
    {
        var result = ObjectSize.GetSize(Graph(), new ObjectSizeOptions { TopTypes = 100 });

        Assert.Equal(6, result.TopTypes.Count);
        Assert.Equal(result.Bytes, result.TopTypes.Sum(type => type.Bytes));
        Assert.Equal(result.ObjectCount, result.TopTypes.Sum(type => type.ObjectCount));
    }

    [Fact]
    public void The_result_reads_as_bytes_in_objects_and_says_when_it_stopped_early()
    {
        var graph = Graph();

        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ObjectSize.GetSize(graph):N0} bytes in {GraphObjects:N0} objects"), ObjectSize.GetSize(graph, new ObjectSizeOptions()).ToString());
        Assert.StartsWith("at least ", ObjectSize.GetSize(graph, new ObjectSizeOptions { MaximumObjects = 1 }).ToString());
    }

    /// <summary>A root, an array of 10 items each with its own long name, and one object (with a buffer) all items share.</summary>
    private static Root Graph()
    {
        var shared = new Shared();
        return new Root(shared, [.. Enumerable.Range(0, 10).Select(i => new Item(new string('n', 100 + i), shared))]);
    }

    private sealed class Root(Shared shared, Item[] items)
    {
        public Shared Shared { get; } = shared;

        public Item[] Items { get; } = items;
    }

    private sealed record Item(string Name, Shared Shared);

    private sealed class Shared
    {
        public byte[] Buffer { get; } = new byte[64];
    }
}
