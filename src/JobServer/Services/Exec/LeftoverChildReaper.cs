namespace JobServer.Services.Exec;

/// <summary>
/// At start-up, before job recovery releases any lock: kills what is left of the children a previous daemon
/// recorded (<see cref="ChildRecords"/>), waits until it is gone, and clears the records. Issue 12: after a crash
/// the next job on a lock started beside the old holder's still-running process. The direct child usually died
/// with the daemon (<see cref="ChildSpawner"/>), but its grandchildren did not.
/// </summary>
internal sealed partial class LeftoverChildReaper(ChildRecords records, ILogger<LeftoverChildReaper> logger)
{
    public async Task KillLeftoversAsync()
    {
        foreach (var (pid, record) in records.All().ToList())
        {
            if (record is null)
            {
                LogUnreadable(logger, pid);
                records.Remove(pid);
                continue;
            }

            await KillAsync(record);
        }
    }

    private async Task KillAsync(ChildRecord record)
    {
        // The recorded child itself counts only with the recorded start time (another is a reused pid). With the
        // child gone its group may live on (grandchildren): a group's id stays reserved while any member lives, so
        // those members are the recorded group's (only a group that died whole could have had its id reused; the
        // start-time bound narrows even that).
        var members = ProcessGroup.LiveMembers(record.ProcessId, record.StartTime);
        if (members.Count == 0)
        {
            records.Remove(record.ProcessId);
            return;
        }

        var leaderAlive = members.Any(p => p.Pid == record.ProcessId);
        if (leaderAlive)
        {
            ProcessGroup.KillGroupAndLeader(record.ProcessId);
        }

        var survivors = await ProcessGroup.KillUntilEmptyAsync(record.ProcessId, record.StartTime,
            ChildSpawner.KillBound);
        if (survivors.Count > 0)
        {
            LogSurvivors(logger, record.JobId, record.ProcessId, survivors.Count);
            return; // Kept: the next start tries again.
        }

        LogKilled(logger, record.JobId, record.ProcessId, leaderAlive, members.Count);
        records.Remove(record.ProcessId);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Killed the leftover process group {ProcessGroup} of job {JobId} from a previous run " +
                  "(leader alive {LeaderAlive}, {Processes} process(es)) before recovering jobs")]
    private static partial void LogKilled(ILogger logger, long jobId, int processGroup, bool leaderAlive, int processes);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The leftover process group {ProcessGroup} of job {JobId} has {Survivors} process(es) alive after SIGKILL; its record is kept")]
    private static partial void LogSurvivors(ILogger logger, long jobId, int processGroup, int survivors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed an unreadable child record for pid {ProcessId}")]
    private static partial void LogUnreadable(ILogger logger, int processId);
}
