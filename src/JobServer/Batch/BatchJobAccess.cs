using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Sdk;

namespace JobServer.Batch;

/// <summary>
/// Who may see and cancel a batch job: as for ordinary jobs, admins (full or read-only) see every job and plain
/// users only their own; cancelling takes the owner or a full admin (a read-only admin changes nothing).
/// </summary>
internal static class BatchJobAccess
{
    public static bool MaySee(Caller caller, BatchJobRecord job) => JobCaller.MaySee(caller, job.Owner);

    public static bool MayCancel(Caller caller, BatchJobRecord job) =>
        caller.HasRole(Role.FullAdmin) || (caller.Username is not null && caller.Username == job.Owner);
}
