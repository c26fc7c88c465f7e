using JobServer.Transfers.Multipart;
using Microsoft.AspNetCore.Http;

namespace JobServer.Transfers;

/// <summary>
/// The job's view of an upload: the <c>file</c> part of the request, read as it arrives (no temporary copy).
/// Tells the upload endpoint when the job has read it all (the answer waits for that, as upstream's), and turns
/// a client that went away into a clear error for the job.
/// </summary>
internal sealed class UploadStream(Stream section, long maxBytes) : ReadOnlyStream
{
    private readonly TaskCompletionSource _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _read;

    /// <summary>Completes when the job read to the end, or ended.</summary>
    public Task Consumed => _consumed.Task;

    /// <summary>The upload went over <see cref="TransferOptions.MaxUploadBytes"/>.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>The file part broke off (the body ended before its closing boundary): the request is answered 400.</summary>
    public MalformedMultipartException? Malformed { get; private set; }

    /// <summary>The bytes the job has read so far.</summary>
    public override long Position
    {
        get => Interlocked.Read(ref _read);
        set => throw new NotSupportedException();
    }

    public void JobEnded() => _consumed.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int count;
        try
        {
            count = await section.ReadAsync(buffer, cancellationToken);
        }
        catch (MalformedMultipartException e)
        {
            Malformed = e;
            throw new IOException(e.Message, e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            TooLarge = true;
            throw new IOException($"The upload is larger than the limit of {maxBytes} bytes", e);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException &&
                                  !cancellationToken.IsCancellationRequested)
        {
            throw new IOException("The upload was interrupted: the client disconnected", e);
        }

        var total = Interlocked.Add(ref _read, count);
        if (maxBytes > 0 && total > maxBytes)
        {
            TooLarge = true;
            throw new IOException($"The upload is larger than the limit of {maxBytes} bytes");
        }

        if (count == 0)
        {
            _consumed.TrySetResult();
        }

        return count;
    }
}
