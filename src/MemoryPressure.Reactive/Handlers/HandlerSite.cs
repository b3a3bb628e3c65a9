using System.Globalization;

namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// What a kind of handler serves: the event and level that <see cref="HandlerFailure"/> attaches to
/// its exceptions, and the description the watchdog's report gives (<c>Entered(2)</c>).
/// </summary>
internal sealed class HandlerSite
{
    private HandlerSite(string handlerEvent, int? level, string description)
    {
        Event = handlerEvent;
        Level = level;
        Description = description;
    }

    /// <summary>Gets the name of the manager's member the handler was given to.</summary>
    public string Event { get; }

    /// <summary>Gets the level the event is about, or <see langword="null"/> when it is about none.</summary>
    public int? Level { get; }

    /// <summary>Gets what the handlers serve, in words: <c>Entered(2)</c>, <c>the cleanup actions of level 2</c>.</summary>
    public string Description { get; }

    /// <summary>The handlers of an event of no level: <c>Samples</c>, <c>Changes</c>.</summary>
    public static HandlerSite Of(string handlerEvent) => new(handlerEvent, null, handlerEvent);

    /// <summary>What a registration of no level runs, described in words: the forced collection of <c>InstallForceGcCollect</c>.</summary>
    public static HandlerSite Of(string handlerEvent, string description) => new(handlerEvent, null, description);

    /// <summary>The handlers of an event of one level: <c>Entered(2)</c>.</summary>
    public static HandlerSite AtLevel(string handlerEvent, int level) =>
        new(handlerEvent, level, string.Create(CultureInfo.InvariantCulture, $"{handlerEvent}({level})"));

    /// <summary>The cleanup actions of a level, registered through <paramref name="handlerEvent"/>.</summary>
    public static HandlerSite Cleanup(string handlerEvent, int level) =>
        new(handlerEvent, level, string.Create(CultureInfo.InvariantCulture, $"the cleanup actions of level {level}"));

    /// <summary>Labels an exception of one of these handlers, with the site's level or else the manager's current one.</summary>
    public void Attach(Exception error, int currentLevel) => HandlerFailure.Attach(error, Event, Level ?? currentLevel);
}
