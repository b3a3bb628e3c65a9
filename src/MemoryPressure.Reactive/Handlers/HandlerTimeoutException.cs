using System.Globalization;

namespace MemoryPressure.Reactive;

/// <summary>
/// Reported on <see cref="MemoryPressureManager.Errors"/>, once, when a handler, cleanup action or forced
/// collection is still running after <see cref="MemoryPressureOptions.HandlerTimeout"/>.
/// </summary>
/// <remarks>
/// It is reported while the call still runs, from another thread: the manager's later events and
/// samples wait for the call to return, and this says so before they can.
/// </remarks>
public sealed class HandlerTimeoutException : TimeoutException
{
    /// <summary>Initializes an exception with a default message.</summary>
    public HandlerTimeoutException()
        : base("A memory pressure handler is still running after its timeout.")
    {
    }

    /// <summary>Initializes an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public HandlerTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception with a message and the exception behind it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception behind it.</param>
    public HandlerTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes an exception for a call still running.</summary>
    /// <param name="handler">What runs: the event its handler serves (<c>Entered(2)</c>), the cleanup actions of a level, or the forced collection.</param>
    /// <param name="level">The manager's level when it was reported.</param>
    /// <param name="timeout">The timeout the call ran past.</param>
    internal HandlerTimeoutException(string handler, int level, TimeSpan timeout)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"A handler of {handler} has been running for more than {timeout.TotalMilliseconds:0.###} ms, at level {level}; the manager's later events and samples wait for it to return."))
    {
        Handler = handler;
        Level = level;
        Timeout = timeout;
    }

    /// <summary>Gets what was running: the event its handler serves (<c>Entered(2)</c>, <c>Samples</c>), <c>the cleanup actions of level 2</c>, or <c>the forced collection</c>.</summary>
    public string? Handler { get; }

    /// <summary>Gets the manager's level when the call was reported.</summary>
    public int Level { get; }

    /// <summary>Gets the timeout the call ran past.</summary>
    public TimeSpan Timeout { get; }
}
