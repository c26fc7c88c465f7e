using System.Diagnostics;

namespace JobServer.Services.Exec;

/// <summary>
/// A running child of <c>exec.run</c> with its own process group. Disposing it kills the whole group and waits
/// until no process of it lives: a job never ends, and never releases its lock, while its process lives (issue 12,
/// item 9), however it ends (success, failure, abort, timeout, a broken pipe, the daemon stopping).
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly ChildSpawner _spawner;
    private readonly long _jobId;
    private int _disposed;

    internal ChildProcess(Process process, ulong startTime, long jobId, ChildSpawner spawner)
    {
        Process = process;
        StartTime = startTime;
        _jobId = jobId;
        _spawner = spawner;
    }

    public Process Process { get; }

    /// <summary>The child's pid, which is also its process group's and session's id.</summary>
    public int Id => Process.Id;

    /// <summary>When the kernel started it (clock ticks since boot).</summary>
    public ulong StartTime { get; }

    /// <summary>SIGKILL to the whole group now (an abort, a timeout, a broken pipe); does not wait.</summary>
    public void KillGroup()
    {
        if (!Process.HasExited)
        {
            // Not reaped yet, so the leader still pins the group's id: the group signal reaches only this group.
            ProcessGroup.KillGroupAndLeader(Id);
        }

        ProcessGroup.KillEach(ProcessGroup.LiveMembers(Id, StartTime));
    }

    /// <summary>Kills the group, reaps the child, waits until the group is empty, then forgets the child.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            KillGroup();
            await Process.WaitForExitAsync(CancellationToken.None);
            var survivors = await ProcessGroup.KillUntilEmptyAsync(Id, StartTime, ChildSpawner.KillBound);
            if (survivors.Count > 0)
            {
                // Uninterruptible sleep: keep the record, so the next start-up kills what is left.
                LogSurvivors(_spawner.Logger, _jobId, Id, survivors.Count);
                return;
            }

            _spawner.Forget(this);
        }
        finally
        {
            Process.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Job {JobId}: {Survivors} process(es) of group {ProcessGroup} still live after SIGKILL; the job ends regardless")]
    private static partial void LogSurvivors(ILogger logger, long jobId, int processGroup, int survivors);
}
