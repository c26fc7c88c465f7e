using System.IO.Pipelines;

namespace JobServer.Transfers;

/// <summary>
/// A downloader's offer to take a job's output straight into the HTTP response. Once the downloader has sent what
/// the job's pipe already held, the job writes into the response's own buffers: no copy through the pipe and no
/// thread hop per chunk (a process's stdout is read straight into the memory Kestrel sends from).
/// </summary>
/// <remarks>
/// The response's buffers go back to Kestrel when the request ends, so the downloader must not return while the
/// job is inside an operation on them: every operation holds a lease, and <see cref="CloseAsync"/> waits the one
/// in progress out (the client going away cancels it) and refuses the next.
/// </remarks>
internal sealed class ResponseHandover(PipeWriter response, CancellationToken clientGone)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lease = new(1, 1);
    private volatile bool _closed;

    /// <summary>Completes once the job may write to the response; faults when the download ended first.</summary>
    public Task Drained => _drained.Task;

    /// <summary>The downloader sent everything the job's pipe held.</summary>
    public void MarkDrained() => _drained.TrySetResult();

    /// <summary>The downloader failed before the job could take over.</summary>
    public void MarkFailed()
    {
        _drained.TrySetException(ClientGoneError());
        _ = _drained.Task.Exception; // Observed: the job may never write again to see it.
    }

    /// <summary>Copies <paramref name="buffer"/> into the response and sends it.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        await UseAsync(async token =>
        {
            ThrowIfNotSent(await response.WriteAsync(buffer, token));
            return buffer.Length;
        }, cancellationToken);

    /// <summary>Reads from <paramref name="source"/> into the response's memory and sends it; 0 at its end.</summary>
    public ValueTask<int> ReadIntoAsync(Stream source, int chunkBytes, CancellationToken cancellationToken) =>
        UseAsync(async token =>
        {
            var read = await source.ReadAsync(response.GetMemory(chunkBytes), token);
            if (read > 0)
            {
                response.Advance(read);
                ThrowIfNotSent(await response.FlushAsync(token));
            }

            return read;
        }, cancellationToken);

    /// <summary>The downloader is done: waits for the operation in progress, then refuses every other one.</summary>
    public async Task CloseAsync()
    {
        _closed = true;
        await _lease.WaitAsync(); // Whoever enters after this sees _closed.
        _lease.Release();
    }

    /// <summary>
    /// One operation on the response, under the lease, cancelled when the job's token or the client's fires; a
    /// client gone reads as <see cref="JobOutput.ClientDisconnected"/>.
    /// </summary>
    private async ValueTask<int> UseAsync(Func<CancellationToken, ValueTask<int>> operation, CancellationToken cancellationToken)
    {
        await _lease.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                throw ClientGoneError();
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, clientGone);
            return await operation(linked.Token);
        }
        catch (OperationCanceledException) when (clientGone.IsCancellationRequested)
        {
            throw ClientGoneError();
        }
        finally
        {
            _lease.Release();
        }
    }

    private static void ThrowIfNotSent(FlushResult result)
    {
        if (result.IsCanceled || result.IsCompleted)
        {
            throw ClientGoneError();
        }
    }

    /// <summary>
    /// A response stops taking bytes only when its client went away (Kestrel may notice through the write before
    /// the request's abort token fires), so every way of losing it reads the same to the job's owner.
    /// </summary>
    private static IOException ClientGoneError() => new(JobOutput.ClientDisconnected);
}
