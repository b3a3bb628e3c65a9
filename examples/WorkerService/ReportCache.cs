namespace WorkerService;

/// <summary>A cache of the application's own, not an <c>IMemoryCache</c>: it is trimmed through <c>CleanupOnEntered</c>.</summary>
internal sealed class ReportCache
{
    private readonly Lock _sync = new();
    private readonly List<byte[]> _reports = [];

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _reports.Count;
            }
        }
    }

    public void Add(byte[] report)
    {
        lock (_sync)
        {
            _reports.Add(report);
        }
    }

    /// <summary>Drops the older half of the reports.</summary>
    public void Trim()
    {
        lock (_sync)
        {
            _reports.RemoveRange(0, _reports.Count / 2);
        }
    }
}
