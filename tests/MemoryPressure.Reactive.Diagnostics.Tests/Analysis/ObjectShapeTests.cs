using MemoryPressure.Reactive.Diagnostics.Analysis;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Analysis;

public class ObjectShapeTests
{
    [Theory]
    [InlineData(24u, 0u, 24L)]
    [InlineData(32u, 0u, 32L)]
    [InlineData(40u, 0u, 40L)]
    public void An_instance_of_a_type_without_elements_takes_its_base_size(uint baseSize, uint length, long expected) =>
        Assert.Equal(expected, new ObjectShape(baseSize, 0, false).AllocatedSize(length));

    [Theory]
    [InlineData(0u, 24L)]
    [InlineData(1u, 32L)]
    [InlineData(8u, 32L)]
    [InlineData(9u, 40L)]
    [InlineData(12_345u, 12_376L)]
    public void A_byte_array_takes_its_base_size_and_length_rounded_up_to_8_bytes(uint length, long expected) =>
        Assert.Equal(expected, new ObjectShape(24, 1, false).AllocatedSize(length));

    [Theory]
    [InlineData(0u, 24L)]
    [InlineData(1u, 24L)]
    [InlineData(2u, 32L)]
    [InlineData(5u, 32L)]
    [InlineData(6u, 40L)]
    public void A_string_counts_its_terminating_nul(uint length, long expected) =>
        Assert.Equal(expected, new ObjectShape(20, 2, true).AllocatedSize(length));

    [Fact]
    public void Nothing_is_smaller_than_the_minimum_object() =>
        Assert.Equal(ObjectShape.MinimumSize, new ObjectShape(12, 0, false).AllocatedSize(0));

    [Fact]
    public void A_length_near_the_32_bit_limit_does_not_overflow() =>
        Assert.Equal(24L + (8L * uint.MaxValue), new ObjectShape(24, 8, false).AllocatedSize(uint.MaxValue));
}
