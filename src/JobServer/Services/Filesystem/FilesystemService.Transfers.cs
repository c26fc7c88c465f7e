using System.ComponentModel;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

internal sealed partial class FilesystemService
{
    [Job(Pipes = JobPipes.Output, Abortable = true, Description = "Download {0}",
        Validator = typeof(FilesystemGetValidator))]
    [Roles(Role.ReadonlyAdmin)]
    [Description("Streams a file to the job's output: use core.download(\"filesystem.get\", [path], filename).")]
    public async Task Get(IJobContext job, string path)
    {
        var source = _preflight.Get(path);
        try
        {
            await using var input = OpenRead(source.Real);
            var total = input.Length;
            var output = job.Output;
            var sent = await StreamPump.CopyAsync(input, output, n => Report(job, "Sent", n, total), job.Aborted);
            await output.FlushAsync(job.Aborted);
            LogSent(logger, job.JobId, source.Real, sent);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.ToCallError(e, path);
        }
    }

    [Job(Pipes = JobPipes.Input, Lock = "filesystem.put:{0}", LockQueueSize = 0, Abortable = true,
        Description = "Upload to {0}", Validator = typeof(FilesystemPutValidator))]
    [Description("Writes the upload (POST /_upload) to path atomically; options: append, mode (octal string).")]
    public async Task<bool> Put(IJobContext job, string path, PutOptions? options = null)
    {
        var put = options ?? new PutOptions();
        var (target, existing, mode) = _preflight.Put(path, put);
        try
        {
            await using var file = AtomicFile.Create(target.Real);
            if (put.Append && existing is not null)
            {
                // Appending into a copy keeps the replacement atomic: readers never see a partly appended file.
                await using var current = OpenRead(target.Real);
                await StreamPump.CopyAsync(current, file.Stream, _ => { }, job.Aborted);
            }

            var received = await StreamPump.CopyAsync(job.Input, file.Stream,
                n => job.SetProgress(null, $"Received {n} bytes"), job.Aborted);
            await file.CommitAsync(overwrite: true,
                mode ?? (existing is null ? null : (UnixFileMode)(existing.Mode & PermissionBits)), job.Aborted);
            LogReceived(logger, job.JobId, target.Real, received);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.ToCallError(e, path);
        }

        return true;
    }

    /// <summary>Progress as upstream words it: <c>"Copied 1000000 of 2000000 bytes"</c>.</summary>
    private static void Report(IJobContext job, string verb, long done, long? total)
    {
        if (total is { } size)
        {
            var percent = size <= 0 ? 100 : (int)Math.Min(100, done * 100 / size);
            job.SetProgress(percent, $"{verb} {done} of {size} bytes");
        }
        else
        {
            job.SetProgress(null, $"{verb} {done} bytes");
        }
    }

    internal static ValidationException NotARegularFile(string attribute, string path, FileEntry entry) =>
        entry.Type == FileType.Directory
            ? new ValidationException(attribute, $"{path} is a directory", Errno.EISDIR)
            : new ValidationException(attribute, $"{path} is not a regular file", Errno.EINVAL);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} sent {Path} ({Bytes} bytes)")]
    private static partial void LogSent(ILogger logger, long jobId, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} wrote {Bytes} uploaded bytes to {Path}")]
    private static partial void LogReceived(ILogger logger, long jobId, string path, long bytes);
}
