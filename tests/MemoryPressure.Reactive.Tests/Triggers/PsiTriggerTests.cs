using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>The PSI trigger text and the fallback window for a process without CAP_SYS_RESOURCE.</summary>
public class PsiTriggerTests
{
    [Fact]
    public void The_kernel_text_ends_with_a_NUL()
    {
        Assert.Equal("some 150000 1000000\0", PsiTrigger.Parse("some 150000 1000000").ToKernelText());
    }

    [Theory]
    [InlineData("some 150000 1000000", "some 150000 2000000")]
    [InlineData("full 100000 500000", "full 100000 2000000")]
    [InlineData("some 300000 3000000", "some 300000 4000000")]
    [InlineData("some 300000 9500000", "some 300000 10000000")]
    public void A_window_that_is_no_multiple_of_2_s_falls_back_to_the_next_multiple_with_the_same_stall(string trigger, string fallback)
    {
        Assert.Equal(fallback, PsiTrigger.Parse(trigger).UnprivilegedFallback.ToString());
    }

    [Theory]
    [InlineData("some 150000 2000000")]
    [InlineData("full 150000 10000000")]
    public void A_window_that_is_a_multiple_of_2_s_has_no_fallback(string trigger)
    {
        Assert.Null(PsiTrigger.Parse(trigger).UnprivilegedFallback);
    }

    [Fact]
    public void Parse_refuses_what_the_options_would_refuse()
    {
        Assert.Throws<FormatException>(() => PsiTrigger.Parse("some 0 1000000"));
        Assert.False(PsiTrigger.TryParse(null, out _));
    }
}
