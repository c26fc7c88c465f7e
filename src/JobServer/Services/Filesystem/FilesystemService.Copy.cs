using System.ComponentModel;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

internal sealed partial class FilesystemService
{
    // LockQueueSize = 0: never fold a call into a waiting copy; a copy from another source is not the same work.
    [Job(Lock = "filesystem.copy:{1}", LockQueueSize = 0, Abortable = true, Description = "Copy {0} to {1}",
        Validator = typeof(FilesystemCopyValidator))]
    [Description("Copies a file (or the contents of a fifo, as cp does) to dst via a temporary file and a rename; " +
                 "options: overwrite. Progress: \"Copied X of Y bytes\".")]
    public async Task<bool> Copy(IJobContext job, string src, string dst, CopyOptions? options = null)
    {
        var overwrite = options?.Overwrite ?? false;
        var (source, destination, entry) = _preflight.Copy(src, dst, overwrite);
        var isFifo = UnixMode.IsFifo(entry.Mode);
        long? total = isFifo ? null : entry.Size;
        Report(job, "Copied", 0, total);
        try
        {
            // A fifo's open waits for its writer; its end is the writer closing it.
            await using var input = OpenRead(source.Real);
            await using var output = AtomicFile.Create(destination.Real);
            var copied = await StreamPump.CopyAsync(input, output.Stream, n => Report(job, "Copied", n, total),
                job.Aborted);
            await output.CommitAsync(overwrite, (UnixFileMode)(entry.Mode & PermissionBits), job.Aborted);
            LogCopied(logger, job.JobId, source.Real, destination.Real, copied);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.ToCallError(e, dst);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} copied {Source} to {Destination} ({Bytes} bytes)")]
    private static partial void LogCopied(ILogger logger, long jobId, string source, string destination, long bytes);
}
