namespace JobServer.Probes;

/// <summary>The daemon that is up now, if any: submitters wait for one, and for the next after a kill.</summary>
internal sealed class DaemonHandle
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<DaemonProcess> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(DaemonProcess daemon)
    {
        lock (_gate)
        {
            if (!_up.TrySetResult(daemon))
            {
                _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _up.SetResult(daemon);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<DaemonProcess?> WaitAsync(CancellationToken stop)
    {
        Task<DaemonProcess> up;
        lock (_gate)
        {
            up = _up.Task;
        }

        try
        {
            return await up.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until a daemon other than <paramref name="gone"/> is up (or the run stops).</summary>
    public async Task WaitChangedAsync(DaemonProcess gone, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && await WaitAsync(stop) is { } current && ReferenceEquals(current, gone))
        {
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
