using System.Diagnostics.CodeAnalysis;

namespace MemoryPressure.Reactive;

/// <summary>
/// Where a failing handler ran: the entries the manager adds to the <see cref="Exception.Data"/> of a
/// handler's exception before it publishes it on <see cref="MemoryPressureManager.Errors"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="MemoryPressureManager.Errors"/> carries the very exception the handler threw; these two
/// entries say which event it served and at which level, for logs and metrics. They are added for
/// subscribers of the manager's observables, <see cref="MemoryPressureManager.CleanupOnEntered{T}"/>
/// actions, the collection of <see cref="MemoryPressureManager.InstallForceGcCollect(int)"/>, and the
/// <see cref="HandlerTimeoutException"/> of a handler still running. A failure of the probe, a
/// condition, the sample source or a trigger source, and an exception given to
/// <see cref="MemoryPressureManager.ReportError(Exception)"/>, has neither.
/// </para>
/// <list type="table">
/// <listheader><term>handler of</term><description><see cref="EventKey"/>; <see cref="LevelKey"/></description></listheader>
/// <item><term><c>Entered(2)</c>, <c>Left(2)</c>, <c>Remaining(2)</c></term><description><c>"Entered"</c>, <c>"Left"</c>, <c>"Remaining"</c>; 2 (0 for <c>Remaining(0)</c>)</description></item>
/// <item><term>a cleanup action of level 2</term><description><c>"CleanupOnEntered"</c>; 2</description></item>
/// <item><term><c>Samples</c>, <c>Changes</c>, <c>Levels</c>, <c>MemoryNormal</c>, <c>Dispatched</c></term><description>that name; the manager's <see cref="MemoryPressureManager.SeverityLevel"/> when the handler failed (during a step, the level stepped to)</description></item>
/// <item><term>the forced collection</term><description><c>"InstallForceGcCollect"</c>; the manager's level</description></item>
/// </list>
/// <para>
/// The entries are written just before the exception is published, on the thread that publishes it, so
/// a subscriber of <see cref="MemoryPressureManager.Errors"/> reads those of this report: an exception
/// instance thrown again, by this handler or another, is labelled anew. An exception whose
/// <see cref="Exception.Data"/> is read-only is published without them.
/// </para>
/// </remarks>
public static class HandlerFailure
{
    /// <summary>
    /// The key of the event the handler served, a <see cref="string"/>: the name of the manager's member
    /// it was given to (<c>Entered</c>, <c>Left</c>, <c>Remaining</c>, <c>MemoryNormal</c>, <c>Changes</c>,
    /// <c>Levels</c>, <c>Samples</c>, <c>Dispatched</c>, <c>CleanupOnEntered</c>, <c>InstallForceGcCollect</c>).
    /// </summary>
    public const string EventKey = "MemoryPressure.Reactive.HandlerEvent";

    /// <summary>
    /// The key of the level, an <see cref="int"/>: the level of the event (entered, left, still in effect,
    /// whose cleanup actions ran), or for an event of no level the manager's level when the handler failed.
    /// </summary>
    public const string LevelKey = "MemoryPressure.Reactive.HandlerLevel";

    /// <summary>Reads where a failing handler ran from an exception published on <see cref="MemoryPressureManager.Errors"/>.</summary>
    /// <param name="error">The exception.</param>
    /// <param name="handlerEvent">The event the handler served (<see cref="EventKey"/>), or <see langword="null"/>.</param>
    /// <param name="level">The level (<see cref="LevelKey"/>), or 0.</param>
    /// <returns><see langword="true"/> when the exception came from a handler and carries both entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static bool TryGetHandler(Exception error, [NotNullWhen(true)] out string? handlerEvent, out int level)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Data[EventKey] is string name && error.Data[LevelKey] is int at)
        {
            (handlerEvent, level) = (name, at);
            return true;
        }

        (handlerEvent, level) = (null, 0);
        return false;
    }

    /// <summary>Writes the entries into an exception's data, unless its data is read-only.</summary>
    internal static void Attach(Exception error, string handlerEvent, int level)
    {
        if (error.Data is { IsReadOnly: false } data)
        {
            data[EventKey] = handlerEvent;
            data[LevelKey] = level;
        }
    }
}
