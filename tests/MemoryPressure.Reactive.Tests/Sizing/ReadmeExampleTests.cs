namespace MemoryPressure.Reactive.Tests.Sizing;

/// <summary>The README's example of weighing an object graph, kept here so it compiles and runs.</summary>
public class ReadmeExampleTests
{
    [SkippableFact]
    public void A_dictionary_of_two_byte_arrays_weighs_its_own_objects_and_theirs()
    {
        Skip.IfNot(Environment.Is64BitProcess, "the figures are those of a 64-bit process");

        var cache = new Dictionary<string, byte[]> { ["small"] = new byte[100], ["large"] = new byte[10_000] };

        long bytes = ObjectSize.GetSize(cache);

        var result = ObjectSize.GetSize(cache, new ObjectSizeOptions
        {
            Exclude = type => typeof(System.Reflection.MemberInfo).IsAssignableFrom(type), // not followed, not counted
            MaximumObjects = 1_000_000,                                                     // stop (and say so) beyond
            TopTypes = 3,
        });

        Assert.Equal(10_480, bytes);
        Assert.Equal((10_480L, 9L, false), (result.Bytes, result.ObjectCount, result.StoppedEarly));
        Assert.Equal((typeof(byte[]), 128L + 10_024L, 2L), (result.TopTypes[0].Type, result.TopTypes[0].Bytes, result.TopTypes[0].ObjectCount));
    }
}
