namespace MemoryPressure.Reactive.Diagnostics.Tests.Results;

public class MemoryDumpExceptionTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failed_result_becomes_an_exception_with_its_reason_and_cause()
    {
        var cause = new IOException("disk gone");
        var failure = MemoryDumpResult.Failure(Time, "writing the dump failed: disk gone", cause);

        var e = new MemoryDumpException(failure);

        Assert.Equal("writing the dump failed: disk gone", e.Message);
        Assert.Same(cause, e.InnerException);
        Assert.Same(failure, e.Result);
    }

    [Fact]
    public void A_refusal_without_a_cause_has_no_inner_exception() =>
        Assert.Null(new MemoryDumpException(MemoryDumpResult.Failure(Time, "no room")).InnerException);

    [Fact]
    public void A_successful_result_or_none_is_refused_naming_the_parameter()
    {
        var success = MemoryDumpResult.Success(Time, default, Support.FakeHeapAnalyser.Breakdown, default, null, includesUnreachable: false);

        Assert.Equal("result", Assert.Throws<ArgumentException>(() => new MemoryDumpException(success)).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentNullException>(() => new MemoryDumpException((MemoryDumpResult)null!)).ParamName);
    }
}
