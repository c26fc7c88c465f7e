using System.Diagnostics;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Bench.Peers;

/// <summary>
/// Counts jobs as Hangfire moves them to Succeeded (in the state change's storage transaction) and notes the
/// timestamp at which a target count is reached: Hangfire's "job completed" as close as its API exposes it.
/// </summary>
public sealed class HangfireCompletionCounter : IApplyStateFilter
{
    private int _count;
    private int _target = int.MaxValue;
    private TaskCompletionSource<long> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<long> Arm(int target)
    {
        _reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _count, 0);
        Volatile.Write(ref _target, target);
        return _reached.Task;
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is SucceededState && Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult(Stopwatch.GetTimestamp());
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
