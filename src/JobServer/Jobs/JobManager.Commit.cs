using JobServer.Events;
using JobServer.Sdk;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary>What a committed change lets happen, before it is published.</summary>
    private enum AfterCommit
    {
        /// <summary>Nothing: the change is only published.</summary>
        Publish,

        /// <summary>A job's creation committed: it joins the scheduler's queue.</summary>
        Enqueue,

        /// <summary>A job created RUNNING committed: its body starts.</summary>
        RunBody,

        /// <summary>A job's terminal state committed: its lock, slot and quota go to the next jobs.</summary>
        Release,
    }

    /// <summary>
    /// The one place where a job's change takes effect, called once the change is durable. The order is the
    /// engine's promise: <b>commit → schedule → publish</b>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// 1. Commit — done before this runs: the store calls it only after the transaction holding the change
    /// committed, one change at a time in the order the changes were saved (<see cref="IJobStore"/>); a transient
    /// job, never stored, comes here at once.
    /// </para>
    /// <para>
    /// 2. Schedule — what the change lets happen: a created job joins the queue, a job created RUNNING gets its
    /// body started, a finished job frees its lock for the next. Starting only hands the job to a
    /// <see cref="JobTasks"/> task; no body and no I/O runs here, so the store's writer is not held up.
    /// </para>
    /// <para>
    /// 3. Publish — subscribers hear of the change only now. A job's events leave in the order of its changes
    /// (each change is snapshotted and saved under its <see cref="Job.PublishGate"/>); ADDED precedes RUNNING
    /// because a job started in step 2 saves RUNNING as a later change, whose after-commit step cannot run before
    /// this one returned; likewise a job that ends and the next job on its lock: SUCCESS before the next RUNNING.
    /// </para>
    /// </remarks>
    private void OnCommitted(Job job, AfterCommit then, JobLog? log, CollectionEvent? added, CollectionEvent? change)
    {
        switch (then)
        {
            case AfterCommit.Enqueue:
                _scheduler.Enqueue(job);
                break;
            case AfterCommit.RunBody:
                if (!_tasks.Run(static s => s.Manager.ExecuteAsync(s.Job, s.Log), (Manager: this, Job: job, Log: log)))
                {
                    log?.Dispose(); // Stopping: the job stays RUNNING in the store, as after a crash.
                }

                break;
            case AfterCommit.Release:
                Release(job);
                break;
        }

        if (added is not null)
        {
            _bus.Publish(added);
        }

        if (change is not null)
        {
            _bus.Publish(change);
        }
    }

    /// <summary>
    /// Saves the job's current state as one change (added or changed); completes once it is committed, scheduled
    /// and published (<see cref="OnCommitted"/>).
    /// </summary>
    private Task CommitAsync(Job job, EventKind kind, AfterCommit then)
    {
        if (job.Request.Job.Transient)
        {
            // Transient jobs are neither stored nor announced (middlewared 26.04+); what follows still happens.
            OnCommitted(job, then, null, null, null);
            return Task.CompletedTask;
        }

        lock (job.PublishGate)
        {
            var snapshot = job.Snapshot();
            var change = new CommittedChange(this, job, then, null, null,
                JobDocument.ToEvent(Collection, kind, snapshot));
            return _store.SaveAsync(snapshot, change.Apply);
        }
    }

    /// <summary>
    /// Saves a change nobody waits for (RUNNING, progress): the job goes on at once; its event still leaves only
    /// after the commit, in order with the job's other changes.
    /// </summary>
    private void QueueChange(Job job)
    {
        if (job.Request.Job.Transient)
        {
            return;
        }

        lock (job.PublishGate)
        {
            var snapshot = job.Snapshot();
            var change = new CommittedChange(this, job, AfterCommit.Publish, null, null,
                JobDocument.ToEvent(Collection, EventKind.Changed, snapshot));
            _store.Save(snapshot, change.Apply);
        }
    }

    /// <summary>
    /// A new job that starts at once: its creation and its start are one change (ADDED and RUNNING, one commit),
    /// and its body starts once that committed.
    /// </summary>
    private Task CommitCreatedRunningAsync(Job job, JobLog? log)
    {
        if (job.Request.Job.Transient)
        {
            job.TryStart(log?.Path);
            OnCommitted(job, AfterCommit.RunBody, log, null, null);
            return Task.CompletedTask;
        }

        lock (job.PublishGate)
        {
            var added = JobDocument.ToEvent(Collection, EventKind.Added, job.Snapshot());
            job.TryStart(log?.Path);
            var running = job.Snapshot();
            var change = new CommittedChange(this, job, AfterCommit.RunBody, log, added,
                JobDocument.ToEvent(Collection, EventKind.Changed, running));
            return _store.SaveAsync(running, change.Apply);
        }
    }

    /// <summary>A saved change waiting for its commit: what <see cref="OnCommitted"/> gets once it is durable.</summary>
    private sealed class CommittedChange(
        JobManager manager, Job job, AfterCommit then, JobLog? log, CollectionEvent? added, CollectionEvent change)
    {
        public void Apply() => manager.OnCommitted(job, then, log, added, change);
    }
}
