using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Batch;

/// <summary>
/// The unfinished batch jobs in memory — each job's record and counts, its unfinished tasks, and every
/// destination's queue of unfinished tasks in id order — so a task's change costs O(log n), not a load of its
/// whole job. Every change is made here under one short lock (no I/O under it) and queued to
/// <see cref="BatchWriter"/> inside that lock, so the store sees a job's changes in the order they were made;
/// callers await the write before they answer or push anything. A job leaves when it is final. The database stays
/// the truth for everything finished; <see cref="Add"/> takes back in what a previous run (or a stopped node) left
/// unfinished, once per job and run.
/// </summary>
/// <remarks>
/// Memory: one record per unfinished task (its message, shared by the tasks of one entry) plus its place in two
/// dictionaries and a sorted set — about 200 bytes beside the message; a job holds at most
/// <see cref="BatchOptions.MaxTasksPerJob"/> tasks and a user at most <c>MaxUnfinishedJobsPerUser</c> jobs.
/// </remarks>
internal sealed class BatchLedger(IBatchWriteQueue writer, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, LiveJob> _jobs = [];
    private readonly Dictionary<long, BatchTaskRecord> _tasks = [];
    private readonly Dictionary<string, SortedSet<long>> _queues = new(StringComparer.Ordinal);

    // Every job taken in during this run (8 bytes each): one that finished here, its last write perhaps not yet
    // committed, must never be read back from the database as unfinished and driven a second time.
    private readonly HashSet<long> _taken = [];

    /// <summary>
    /// Takes in a stored, unfinished job: its <paramref name="tasks"/> (the unfinished ones are kept) and all its
    /// task ids in order. Only an <paramref name="admitted"/> job's tasks can be offered (see <see cref="Admit"/>).
    /// Answers the destinations admitted (their next task may now be due), or null when the job was taken in before
    /// during this run (it is then left as it is, finished or not).
    /// </summary>
    public IReadOnlyCollection<string>? Add(BatchJobRecord job, IEnumerable<BatchTaskRecord> tasks, IReadOnlyList<long> taskIds,
        bool admitted)
    {
        var record = new BatchJobRecord
        {
            Id = job.Id, Owner = job.Owner, CreatedAt = job.CreatedAt, FinishAt = job.FinishAt, Timeout = job.Timeout,
            Status = job.Status, TotalCount = job.TotalCount, FinishCount = job.FinishCount, ErrorCount = job.ErrorCount,
        };
        var live = new LiveJob(record, taskIds);
        lock (_gate)
        {
            if (!_taken.Add(job.Id))
            {
                return null;
            }

            foreach (var task in tasks.Where(t => !BatchStatus.IsFinished(t.Status)))
            {
                task.Job = null;
                live.Unfinished[task.Id] = task;
                _tasks[task.Id] = task;
            }

            _jobs[job.Id] = live;
            return admitted ? AdmitLocked(live) : [];
        }
    }

    /// <summary>Whether the job was taken in during this run (unfinished here now, or finished since).</summary>
    public bool Holds(long jobId)
    {
        lock (_gate)
        {
            return _taken.Contains(jobId);
        }
    }

    /// <summary>Lets the job's tasks be offered; answers their destinations (their next task may now be due).</summary>
    public IReadOnlyCollection<string> Admit(long jobId)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(jobId, out var job) ? AdmitLocked(job) : [];
        }
    }

    /// <summary>Drops a job nobody learned of (its creation was refused after it was stored).</summary>
    public void Forget(long jobId)
    {
        lock (_gate)
        {
            if (_jobs.Remove(jobId, out var job))
            {
                foreach (var task in job.Unfinished.Values)
                {
                    _tasks.Remove(task.Id);
                    Unqueue(task);
                }
            }
        }
    }

    /// <summary>
    /// The destination's first unfinished task in id order, marked <c>sent</c> when it was <c>pending</c>; null
    /// when it has none. <c>Stored</c> completes when that mark is stored. A task already <c>sent</c> or
    /// <c>running</c> (offered before and never answered) is answered as it is, to be offered again.
    /// </summary>
    public (long Id, JsonObject Task, Task Stored)? Offer(string destination)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue(destination, out var queue) || queue.Count == 0)
            {
                return null;
            }

            var task = _tasks[queue.Min];
            var stored = Task.CompletedTask;
            if (task.Status == BatchStatus.Pending)
            {
                stored = ChangeLocked(task, t => t.Status = BatchStatus.Sent);
            }

            return (task.Id, BatchJobView.Task(task), stored);
        }
    }

    /// <summary>
    /// Changes an unfinished task of <paramref name="destination"/> (<paramref name="finishes"/>: to a final
    /// status, so it leaves the ledger); answers the write to await, or null when the task is not unfinished here
    /// (it finished, or does not exist). Another destination's task reads as one that does not exist.
    /// </summary>
    public Task? TryChange(string destination, long taskId, Action<BatchTaskRecord> change, bool finishes)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(taskId, out var task))
            {
                return null;
            }

            if (task.Destination != destination)
            {
                throw new InstanceNotFoundException($"Task {taskId} does not exist for destination {destination}");
            }

            return ChangeLocked(task, t =>
            {
                change(t);
                if (finishes)
                {
                    t.FinishAt = Now();
                }
            });
        }
    }

    /// <summary>
    /// Moves every unfinished task of the job to <paramref name="status"/> (canceled, timeout), after
    /// <paramref name="check"/> accepted the job (it throws to refuse); null when the job is not unfinished here.
    /// The tasks that had been pushed to an agent (<c>sent</c>, <c>running</c>) are named in the write's
    /// <see cref="BatchWrite.Withdrawn"/>, so their agents are told to stop once it is stored.
    /// </summary>
    public (BatchJobSnapshot Job, Task Stored)? TryFinishJob(long jobId, string status, Action<BatchJobRecord>? check)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                return null;
            }

            check?.Invoke(job.Record);
            var now = Now();
            var rows = new List<BatchTaskRow>(job.Unfinished.Count);
            var freed = new HashSet<string>(StringComparer.Ordinal);
            var withdrawn = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var task in job.Unfinished.Values.OrderBy(t => t.Id))
            {
                if (task.Status is BatchStatus.Sent or BatchStatus.Running)
                {
                    withdrawn[task.Destination] = task.Id;
                }

                BatchJobSettlement.Count(job.Record, task.Status, status, now);
                task.Status = status;
                task.FinishAt = now;
                rows.Add(BatchTaskRow.Of(task));
                freed.Add(task.Destination);
                _tasks.Remove(task.Id);
                Unqueue(task);
            }

            job.Unfinished.Clear();
            _jobs.Remove(jobId);
            var snapshot = BatchJobSnapshot.Of(job.Record, job.TaskIds);
            var stored = writer.Queue(new BatchWrite
            {
                Tasks = rows, Job = BatchJobRow.Of(job.Record), Published = snapshot, FreedDestinations = freed,
                Withdrawn = withdrawn,
            });
            return (snapshot, stored);
        }
    }

    /// <summary>How many jobs and tasks are unfinished here (for tests and diagnostics).</summary>
    public (int Jobs, int Tasks) Counts
    {
        get
        {
            lock (_gate)
            {
                return (_jobs.Count, _tasks.Count);
            }
        }
    }

    private Task ChangeLocked(BatchTaskRecord task, Action<BatchTaskRecord> change)
    {
        var job = _jobs[task.JobId];
        var from = task.Status;
        change(task);
        BatchJobSettlement.Count(job.Record, from, task.Status, Now());
        IReadOnlyCollection<string> freed = [];
        if (BatchStatus.IsFinished(task.Status))
        {
            _tasks.Remove(task.Id);
            job.Unfinished.Remove(task.Id);
            Unqueue(task);
            freed = [task.Destination];
            if (job.Unfinished.Count == 0)
            {
                _jobs.Remove(job.Record.Id);
            }
        }

        return writer.Queue(new BatchWrite
        {
            Tasks = [BatchTaskRow.Of(task)], Job = BatchJobRow.Of(job.Record),
            Published = BatchJobSnapshot.Of(job.Record, job.TaskIds), FreedDestinations = freed,
        });
    }

    private IReadOnlyCollection<string> AdmitLocked(LiveJob job)
    {
        if (job.Admitted)
        {
            return [];
        }

        job.Admitted = true;
        var destinations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in job.Unfinished.Values)
        {
            if (!_queues.TryGetValue(task.Destination, out var queue))
            {
                _queues[task.Destination] = queue = [];
            }

            queue.Add(task.Id);
            destinations.Add(task.Destination);
        }

        return destinations;
    }

    private void Unqueue(BatchTaskRecord task)
    {
        if (_queues.TryGetValue(task.Destination, out var queue) && queue.Remove(task.Id) && queue.Count == 0)
        {
            _queues.Remove(task.Destination);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class LiveJob(BatchJobRecord record, IReadOnlyList<long> taskIds)
    {
        public BatchJobRecord Record { get; } = record;

        public IReadOnlyList<long> TaskIds { get; } = taskIds;

        public Dictionary<long, BatchTaskRecord> Unfinished { get; } = [];

        public bool Admitted { get; set; }
    }
}
