using System.Runtime.InteropServices;

namespace JobServer.Services.Exec;

/// <summary>
/// The process group of a child started by <see cref="ChildSpawner"/>: the child called <c>setsid</c>, so its
/// group and session id are its pid, and every process it starts stays in that group unless it leaves on
/// purpose — also a grandchild whose parent exited, which <c>Process.Kill(entireProcessTree)</c> no longer finds
/// (it walks parent links, and such a grandchild's parent is now init).
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>
    /// The live (not zombie) members of group <paramref name="groupId"/> started no earlier than
    /// <paramref name="leaderStarted"/> (clock ticks since boot), and the leader itself while it lives with exactly
    /// that start time (it may not have called <c>setsid</c> yet). A group's id stays reserved while any member
    /// lives, so members found are the group's own; the start-time bound narrows what a reused pid could bring in.
    /// </summary>
    public static List<ProcStat> LiveMembers(int groupId, ulong leaderStarted) =>
    [
        .. ProcStat.All().Where(p => p.IsLive &&
                                     ((p.ProcessGroup == groupId && p.StartTime >= leaderStarted) ||
                                      (p.Pid == groupId && p.StartTime == leaderStarted))),
    ];

    /// <summary>SIGKILL to the whole group (the leader still pins its id); to the leader itself too, in case
    /// <c>setsid</c> has not yet run when the kill comes.</summary>
    public static void KillGroupAndLeader(int groupId)
    {
        _ = Kill(-groupId, SigKill);
        _ = Kill(groupId, SigKill);
    }

    /// <summary>SIGKILL to each process given (a group whose leader is gone is killed member by member).</summary>
    public static void KillEach(IEnumerable<ProcStat> processes)
    {
        foreach (var process in processes)
        {
            _ = Kill(process.Pid, SigKill);
        }
    }

    /// <summary>
    /// Kills the group's live members (<see cref="LiveMembers"/>) until none is left, or <paramref name="bound"/> has passed (a process in
    /// uninterruptible sleep dies only when its I/O returns). Polls the kernel's real clock on purpose: this waits
    /// for the operating system, and a test's fake clock must not freeze it. Returns what is still alive.
    /// </summary>
    public static async Task<List<ProcStat>> KillUntilEmptyAsync(int groupId, ulong leaderStarted, TimeSpan bound)
    {
        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (true)
        {
            var members = LiveMembers(groupId, leaderStarted);
            if (members.Count == 0 || Environment.TickCount64 > deadline)
            {
                return members;
            }

            KillEach(members);
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
