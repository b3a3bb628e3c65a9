namespace MemoryPressure.Reactive.Tests.Sizing;

/// <summary>The one type-name format of ObjectSize and the heap breakdowns.</summary>
public class TypeNamesTests
{
    [Theory]
    [InlineData(typeof(int), "System.Int32")]
    [InlineData(typeof(string[]), "System.String[]")]
    [InlineData(typeof(int[,]), "System.Int32[,]")]
    [InlineData(typeof(byte[][]), "System.Byte[][]")]
    [InlineData(typeof(List<string>), "System.Collections.Generic.List<System.String>")]
    [InlineData(typeof(Dictionary<int, string>), "System.Collections.Generic.Dictionary<System.Int32, System.String>")]
    [InlineData(typeof(KeyValuePair<int, List<string>>[]), "System.Collections.Generic.KeyValuePair<System.Int32, System.Collections.Generic.List<System.String>>[]")]
    [InlineData(typeof(Outer.Inner), "MemoryPressure.Reactive.Tests.Sizing.TypeNamesTests+Outer+Inner")]
    [InlineData(typeof(Generic<int>.Nested<string>), "MemoryPressure.Reactive.Tests.Sizing.TypeNamesTests+Generic<System.Int32>+Nested<System.String>")]
    [InlineData(typeof(Generic<long>.Plain[]), "MemoryPressure.Reactive.Tests.Sizing.TypeNamesTests+Generic<System.Int64>+Plain[]")]
    public void Names_are_written_in_the_CSharp_form(Type type, string name) =>
        Assert.Equal(name, new TypeSize(type, 0, 0).TypeName);

    [Fact]
    public void Dictionary_entries_read_as_the_breakdown_prints_them()
    {
        var entries = ObjectSize.GetSize(new Dictionary<int, string> { [1] = "a" }, new ObjectSizeOptions { TopTypes = 10 }).TopTypes;

        Assert.Contains(entries, t => t.TypeName == "System.Collections.Generic.Dictionary<System.Int32, System.String>+Entry[]");
    }

    [Fact]
    public void The_result_with_top_types_lists_them_with_digit_separators()
    {
        var result = ObjectSize.GetSize(new byte[2_000], new ObjectSizeOptions { TopTypes = 1 });

        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{result.Bytes:N0} bytes in 1 objects; largest: System.Byte[] {result.Bytes:N0} bytes in 1 objects"), result.ToString());
        Assert.Contains("2,0", result.ToString(), StringComparison.Ordinal);
    }

    private static class Outer
    {
        public sealed class Inner;
    }

    private sealed class Generic<T>
    {
        public sealed class Nested<TItem>;

        public sealed class Plain;
    }
}
