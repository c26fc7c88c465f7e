namespace JobServer.Jobs;

/// <summary>
/// Unfinished (waiting or running) jobs per owner, for <c>JobServer:Jobs:MaxUnfinishedJobsPerUser</c>. A plain user
/// once stored about 2,000 jobs a second through nested <c>core.bulk</c> (issue 12, item 12). Running jobs count
/// too, not only waiting ones: a running <c>core.bulk</c> is exactly what fans out. Not thread-safe: the
/// <see cref="InMemoryJobScheduler"/> calls it under its gate.
/// </summary>
internal sealed class UserJobQuota
{
    private readonly Dictionary<string, int> _unfinished = new(StringComparer.Ordinal);

    public int UnfinishedOf(string? owner) => owner is not null && _unfinished.TryGetValue(owner, out var n) ? n : 0;

    public void Add(string? owner)
    {
        if (owner is not null)
        {
            _unfinished[owner] = UnfinishedOf(owner) + 1;
        }
    }

    public void Remove(string? owner)
    {
        if (owner is null || !_unfinished.TryGetValue(owner, out var n))
        {
            return;
        }

        if (n <= 1)
        {
            _unfinished.Remove(owner);
        }
        else
        {
            _unfinished[owner] = n - 1;
        }
    }
}
