using System.Collections.Concurrent;
using System.Diagnostics;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Exec;

/// <summary>
/// Starts the processes of <c>exec.run</c> so that they die with the daemon (issue 12: after a <c>kill -9</c> of the
/// daemon every child kept running, and at restart the next job on its lock ran beside it).
/// </summary>
/// <remarks>
/// <para>Each child runs as <c>setsid setpriv --pdeathsig KILL -- &lt;executable&gt; …</c>: <c>setsid</c> gives it a
/// session and process group of its own (so the whole group can be killed, grandchildren included, and a signal
/// to the daemon's group does not reach it); <c>setpriv</c> sets <c>PR_SET_PDEATHSIG</c> before the exec, which
/// .NET's <see cref="Process"/> cannot do itself. Both keep the pid, so the pid .NET reports is the child's.</para>
/// <para>The parent-death signal fires when the <em>thread</em> that forked the child exits, not the process
/// (prctl(2)): a child started from a thread-pool thread would be SIGKILLed whenever the pool retired that thread.
/// So every child is forked from one dedicated thread that lives as long as the daemon.</para>
/// <para>Each child is recorded (<see cref="ChildRecords"/>) while it runs, so a restart can kill what a crash
/// left: the direct child dies with the daemon, but a grandchild does not get the signal.</para>
/// </remarks>
internal sealed partial class ChildSpawner : IAsyncDisposable
{
    /// <summary>How long a killed group may take to die (a process in uninterruptible sleep dies only when its
    /// I/O returns); past it the job ends anyway, the record kept for the next start-up.</summary>
    internal static readonly TimeSpan KillBound = TimeSpan.FromSeconds(10);

    private readonly BlockingCollection<SpawnRequest> _requests = [];
    private readonly ConcurrentDictionary<int, ChildProcess> _running = new();
    private readonly ChildRecords _records;
    private readonly ILogger<ChildSpawner> _logger;
    private readonly (string Setsid, string Setpriv)? _wrappers;

    public ChildSpawner(ChildRecords records, ILogger<ChildSpawner> logger)
    {
        _records = records;
        _logger = logger;
        _wrappers = OperatingSystem.IsLinux() &&
                    ExecutableResolver.Resolve("setsid") is { } setsid &&
                    ExecutableResolver.Resolve("setpriv") is { } setpriv
            ? (setsid, setpriv)
            : null;
        new Thread(SpawnLoop) { IsBackground = true, Name = "exec child spawner" }.Start();
    }

    /// <summary>Starts <paramref name="start"/> (file name and arguments as given) as a child of job <paramref name="jobId"/>.</summary>
    public async Task<ChildProcess> StartAsync(ProcessStartInfo start, long jobId)
    {
        if (OperatingSystem.IsLinux() && _wrappers is null)
        {
            throw new CallError("exec.run needs setsid and setpriv (util-linux) on PATH, so that its processes " +
                                "die with the daemon", Errno.EFAULT);
        }

        var request = new SpawnRequest(Wrap(start), new(TaskCreationOptions.RunContinuationsAsynchronously));
        _requests.Add(request);
        var process = await request.Started.Task;
        var started = ProcStat.Read(process.Id)?.StartTime ?? 0;
        var child = new ChildProcess(process, started, jobId, this);
        _running[process.Id] = child;
        _records.Add(new ChildRecord(process.Id, started, jobId));
        return child;
    }

    /// <summary>The child's group is gone: forget it, here and in the data directory.</summary>
    internal void Forget(ChildProcess child)
    {
        _running.TryRemove(child.Id, out _);
        _records.Remove(child.Id);
    }

    internal ILogger Logger => _logger;

    /// <summary>The daemon stops: no child outlives it, grandchildren included.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.CompleteAdding();
        await Task.WhenAll(_running.Values.Select(child => child.DisposeAsync().AsTask()));
    }

    private ProcessStartInfo Wrap(ProcessStartInfo start)
    {
        if (_wrappers is not { } wrappers)
        {
            return start;
        }

        var executable = start.FileName;
        string[] arguments = [wrappers.Setpriv, "--pdeathsig", "KILL", "--", executable, .. start.ArgumentList];
        start.FileName = wrappers.Setsid;
        start.ArgumentList.Clear();
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The dedicated forking thread (see the remarks): it ends only when the daemon stops.</summary>
    private void SpawnLoop()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            try
            {
                request.Started.TrySetResult(Process.Start(request.Start)
                    ?? throw new CallError($"Could not start {request.Start.FileName}", Errno.EFAULT));
            }
#pragma warning disable CA1031 // Whatever the start throws belongs to the job that asked; the thread lives on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                request.Started.TrySetException(e);
            }
        }
    }

    private sealed record SpawnRequest(ProcessStartInfo Start, TaskCompletionSource<Process> Started);
}
