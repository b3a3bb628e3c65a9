namespace MemoryPressure.Reactive;

/// <summary>Why <see cref="ObjectSize.GetSize(object?, ObjectSizeOptions)"/> stopped before it had counted the whole graph.</summary>
public enum ObjectSizeStopReason
{
    /// <summary>It did not stop early: every reachable object was counted.</summary>
    None = 0,

    /// <summary>Counting one more object would have exceeded <see cref="ObjectSizeOptions.MaximumObjects"/>.</summary>
    MaximumObjects = 1,

    /// <summary>Counting one more object would have exceeded <see cref="ObjectSizeOptions.MaximumBytes"/>.</summary>
    MaximumBytes = 2,
}
