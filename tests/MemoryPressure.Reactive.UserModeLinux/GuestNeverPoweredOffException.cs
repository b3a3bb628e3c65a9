namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>The guest was still running when its bound ran out: it was killed, with every process it had started on the host.</summary>
public sealed class GuestNeverPoweredOffException : Exception
{
    /// <summary>Initializes an exception with a default message.</summary>
    public GuestNeverPoweredOffException()
        : base("The user-mode Linux guest did not power off within its bound.")
    {
    }

    /// <summary>Initializes an exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public GuestNeverPoweredOffException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public GuestNeverPoweredOffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
