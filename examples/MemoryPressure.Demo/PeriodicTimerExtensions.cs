namespace MemoryPressure.Demo;

/// <summary>Loops that tick until the run is over.</summary>
internal static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; <see langword="false"/> once <paramref name="stop"/> is cancelled.</summary>
    public static async Task<bool> TickUnlessStopped(this PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
