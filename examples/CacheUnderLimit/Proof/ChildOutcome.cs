namespace CacheUnderLimit.Proof;

/// <summary>How a child process ended.</summary>
public enum ChildOutcome
{
    /// <summary>It served requests for the whole run and exited normally.</summary>
    Survived,

    /// <summary>The kernel's OOM killer ended it with SIGKILL (the cgroup's <c>oom_kill</c> count went up).</summary>
    KilledByKernel,

    /// <summary>The GC could not grow the heap under its hard limit and threw <see cref="OutOfMemoryException"/>.</summary>
    OutOfMemoryException,

    /// <summary>It ended in some other way, or did not end in time.</summary>
    Failed,
}
