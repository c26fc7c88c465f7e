namespace JobServer.Spark.Contexts;

/// <summary>
/// A context's job slots. A job is <em>admitted</em> by the <c>/jobs</c> door before it exists (so a full context
/// creates no job: spark's 503 <c>NO SLOTS AVAILABLE</c>) and released exactly once, when the job ends however it
/// ends — the leak spark-jobserver's users suspected (issue #645) cannot happen through an abort while waiting.
/// Admitted jobs then <em>enter</em> one of <see cref="MaxJobs"/> run slots; with queueing on, the jobs beyond wait
/// there (at most <see cref="MaxQueued"/>) instead of being refused.
/// </summary>
internal sealed class SparkContextSlots(int maxJobs, bool queueWhenFull, int maxQueued) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _run = new(maxJobs, maxJobs);
    private int _admitted;
    private int _running;
    private int _waiting;

    public int MaxJobs => maxJobs;

    public bool QueueWhenFull => queueWhenFull;

    public int MaxQueued => maxQueued;

    /// <summary>Jobs whose bodies run in the context's process now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Admitted jobs waiting for a run slot.</summary>
    public int Queued => Volatile.Read(ref _waiting);

    /// <summary>Jobs admitted and not ended (running, waiting, or about to be created).</summary>
    public int Admitted
    {
        get
        {
            lock (_gate)
            {
                return _admitted;
            }
        }
    }

    /// <summary>Takes a slot for a job about to be created; false when the context is full (and may not queue more).</summary>
    public bool TryAdmit()
    {
        lock (_gate)
        {
            var limit = queueWhenFull ? maxJobs + maxQueued : maxJobs;
            if (_admitted >= limit)
            {
                return false;
            }

            _admitted++;
            return true;
        }
    }

    /// <summary>The admitted job ended, or was never created.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_admitted == 0)
            {
                throw new InvalidOperationException("A context slot was released more often than taken");
            }

            _admitted--;
        }
    }

    /// <summary>Waits for a run slot; dispose the answer when the body has left the process.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _run.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        Interlocked.Increment(ref _running);
        return new RunSlot(this);
    }

    public void Dispose() => _run.Dispose();

    private void Leave()
    {
        Interlocked.Decrement(ref _running);
        _run.Release();
    }

    private sealed class RunSlot(SparkContextSlots slots) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                slots.Leave();
            }
        }
    }
}
