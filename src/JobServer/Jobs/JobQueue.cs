namespace JobServer.Jobs;

/// <summary>
/// The FIFO queue with named locks (reference §3.3), as pure bookkeeping: it decides which jobs start and
/// never runs anything itself. A job whose lock is free (or that has none) is <em>ready</em> and owns its lock
/// from then on; ready jobs start in arrival order while the global cap allows. Jobs behind a held lock wait
/// in that lock's own FIFO, so a later job with a free lock overtakes them. Not thread-safe: the
/// <see cref="InMemoryJobScheduler"/> serializes calls.
/// </summary>
internal sealed class JobQueue<T>(int maxRunning) where T : class, IQueuedJob
{
    private readonly SortedSet<T> _ready = new(Comparer<T>.Create((a, b) => a.Id.CompareTo(b.Id)));
    private readonly Dictionary<string, T> _lockOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<T>> _blocked = new(StringComparer.Ordinal);
    private readonly HashSet<T> _running = [];

    public int RunningCount => _running.Count;

    public int WaitingCount => _ready.Count + _blocked.Values.Sum(q => q.Count);

    /// <summary>
    /// For <c>LockQueueSize</c>: when <paramref name="limit"/> jobs already wait on the lock, the newest of them
    /// (that <paramref name="mayShare"/> allows) is returned for the new call to join.
    /// </summary>
    public T? FindWaitingToJoin(string lockName, int limit, Func<T, bool> mayShare)
    {
        var waiting = WaitingOn(lockName);
        return waiting.Count >= limit ? waiting.LastOrDefault(mayShare) : null;
    }

    /// <summary>Whether <paramref name="limit"/> jobs already wait on the lock.</summary>
    public bool IsLockQueueFull(string lockName, int limit) => WaitingOn(lockName).Count >= limit;

    /// <summary>
    /// Starts a new job at once when nothing would make it wait — its lock is free, no ready job is ahead of it
    /// and the cap allows — and returns true; otherwise changes nothing and returns false (it is enqueued later).
    /// </summary>
    public bool TryStartAtOnce(T job)
    {
        if (_ready.Count > 0 || (maxRunning > 0 && _running.Count >= maxRunning) ||
            (job.LockName is { } held && _lockOwners.ContainsKey(held)))
        {
            return false;
        }

        if (job.LockName is { } name)
        {
            _lockOwners[name] = job;
        }

        _running.Add(job);
        return true;
    }

    /// <summary>Adds a job; returns the jobs that start now.</summary>
    public IReadOnlyList<T> Enqueue(T job)
    {
        if (job.LockName is { } name && _lockOwners.ContainsKey(name))
        {
            if (!_blocked.TryGetValue(name, out var queue))
            {
                _blocked[name] = queue = new LinkedList<T>();
            }

            queue.AddLast(job);
            return [];
        }

        MakeReady(job);
        return StartReady();
    }

    /// <summary>A running job ended: frees its slot and lock; returns the jobs that start now.</summary>
    public IReadOnlyList<T> Finish(T job)
    {
        if (!_running.Remove(job))
        {
            return [];
        }

        ReleaseLock(job);
        return StartReady();
    }

    /// <summary>Removes a job that has not started (abort while waiting); returns the jobs that start now.</summary>
    public IReadOnlyList<T> RemoveWaiting(T job)
    {
        if (_ready.Remove(job))
        {
            ReleaseLock(job);
            return StartReady();
        }

        if (job.LockName is { } name && _blocked.TryGetValue(name, out var queue) && queue.Remove(job))
        {
            if (queue.Count == 0)
            {
                _blocked.Remove(name);
            }
        }

        return [];
    }

    public bool IsWaiting(T job) =>
        _ready.Contains(job) || (job.LockName is { } name && _blocked.TryGetValue(name, out var q) && q.Contains(job));

    private List<T> WaitingOn(string lockName)
    {
        var waiting = new List<T>();
        if (_lockOwners.TryGetValue(lockName, out var owner) && _ready.Contains(owner))
        {
            waiting.Add(owner);
        }

        if (_blocked.TryGetValue(lockName, out var queue))
        {
            waiting.AddRange(queue);
        }

        return waiting;
    }

    private void MakeReady(T job)
    {
        if (job.LockName is { } name)
        {
            _lockOwners[name] = job;
        }

        _ready.Add(job);
    }

    private void ReleaseLock(T job)
    {
        if (job.LockName is not { } name || !_lockOwners.TryGetValue(name, out var owner) || owner != job)
        {
            return;
        }

        _lockOwners.Remove(name);
        if (_blocked.TryGetValue(name, out var queue))
        {
            var next = queue.First!.Value;
            queue.RemoveFirst();
            if (queue.Count == 0)
            {
                _blocked.Remove(name);
            }

            MakeReady(next);
        }
    }

    private List<T> StartReady()
    {
        var started = new List<T>();
        while (_ready.Count > 0 && (maxRunning <= 0 || _running.Count < maxRunning))
        {
            var next = _ready.Min!;
            _ready.Remove(next);
            _running.Add(next);
            started.Add(next);
        }

        return started;
    }
}
