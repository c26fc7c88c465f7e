using JobServer.Sdk.Errors;

namespace JobServer.Lifecycle;

/// <summary>
/// What the rest of the daemon sees of a graceful stop (<c>Hosting.GracefulStop</c> drives it): from the first sign
/// of a stop, calls and new transfers are refused with ESHUTDOWN; once the jobs are settled and their last
/// changes stored, <see cref="SocketsClosing"/> tells every WebSocket to close with 1001.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    public const string Message = "The daemon is shutting down";

    private readonly CancellationTokenSource _socketsClosing = new();
    private int _stopping;

    /// <summary>True once the stop began: nothing new is accepted from then on.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) == 1;

    /// <summary>
    /// Cancelled last in the stop, after the jobs: open connections then get a close frame (1001). Not
    /// <c>ApplicationStopping</c>: on SIGTERM that fires first of all, and calls made during the grace would
    /// meet a closed socket instead of an ESHUTDOWN answer.
    /// </summary>
    public CancellationToken SocketsClosing => _socketsClosing.Token;

    /// <summary>The error a call or transfer refused during the stop gets, in every protocol's shape.</summary>
    public static CallError Refusal() => new(Message, Errno.ESHUTDOWN);

    /// <summary>Throws <see cref="Refusal"/> once the stop began.</summary>
    public void ThrowIfStopping()
    {
        if (IsStopping)
        {
            throw Refusal();
        }
    }

    /// <summary>Starts refusing; true only for the first call.</summary>
    public bool Begin() => Interlocked.Exchange(ref _stopping, 1) == 0;

    /// <summary>Tells every open WebSocket to close (idempotent).</summary>
    public void CloseSockets()
    {
        if (!_socketsClosing.IsCancellationRequested)
        {
            _socketsClosing.Cancel();
        }
    }

    public void Dispose() => _socketsClosing.Dispose();
}
