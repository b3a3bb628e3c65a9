namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>A memory dump that could not be taken, as an exception: for error streams and callers who prefer to throw.</summary>
/// <remarks>
/// <see cref="MemoryDump"/> itself never throws this: it returns a failed <see cref="MemoryDumpResult"/>.
/// Wrap a failed result in this exception to report it where exceptions are expected, such as an
/// <c>IObservable&lt;Exception&gt;</c> of errors.
/// </remarks>
public sealed class MemoryDumpException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MemoryDumpException"/> class.</summary>
    public MemoryDumpException()
        : base("A memory dump could not be taken.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryDumpException"/> class with a message.</summary>
    /// <param name="message">Why the dump could not be taken.</param>
    public MemoryDumpException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryDumpException"/> class with a message and its cause.</summary>
    /// <param name="message">Why the dump could not be taken.</param>
    /// <param name="innerException">The exception that made it fail.</param>
    public MemoryDumpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryDumpException"/> class from a failed result.</summary>
    /// <param name="result">The failed result; its reason becomes the message and its exception the inner exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> succeeded.</exception>
    public MemoryDumpException(MemoryDumpResult result)
        : base(ReasonOf(result), result.Exception)
    {
        Result = result;
    }

    /// <summary>Gets the failed result, when the exception was made from one.</summary>
    public MemoryDumpResult? Result { get; }

    private static string ReasonOf(MemoryDumpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.FailureReason ?? throw new ArgumentException("The result succeeded: there is no failure to report.", nameof(result));
    }
}
