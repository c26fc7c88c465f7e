using System.ComponentModel;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

internal sealed partial class FilesystemService
{
    // LockQueueSize = 0: never fold a call into a waiting copy; a copy from another source is not the same work.
    [Job(Lock = "filesystem.copy:{1}", LockQueueSize = 0, Abortable = true, Description = "Copy {0} to {1}")]
    [Description("Copies a file (or the contents of a fifo, as cp does) to dst via a temporary file and a rename; " +
                 "options: overwrite. Progress: \"Copied X of Y bytes\".")]
    public async Task<bool> Copy(IJobContext job, string src, string dst, CopyOptions? options = null)
    {
        const string srcAttribute = "filesystem_copy.src";
        const string dstAttribute = "filesystem_copy.dst";
        var overwrite = options?.Overwrite ?? false;
        var source = roots.Resolve(src, srcAttribute);
        var destination = roots.Resolve(dst, dstAttribute);
        var entry = FileEntryReader.TryRead(source.Real, source.Real) ?? throw NotFound(srcAttribute, src);
        var isFifo = UnixMode.IsFifo(entry.Mode);
        if (!UnixMode.IsRegular(entry.Mode) && !isFifo)
        {
            throw NotARegularFile(srcAttribute, src, entry);
        }

        if (source.Real == destination.Real)
        {
            throw new ValidationException(dstAttribute, $"{dst} is the source itself", Errno.EINVAL);
        }

        if (FileEntryReader.TryRead(destination.Real, null) is { } existing)
        {
            if (existing.Type == FileType.Directory)
            {
                throw new ValidationException(dstAttribute, $"{dst} is a directory", Errno.EISDIR);
            }

            if (!overwrite)
            {
                throw new ValidationException(dstAttribute, $"{dst} already exists", Errno.EEXIST);
            }
        }

        RequireParent(destination, dstAttribute);
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
