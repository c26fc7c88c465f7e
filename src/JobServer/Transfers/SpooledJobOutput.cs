using System.IO.Pipelines;
using JobServer.Jobs;
using JobServer.Sdk.Errors;

namespace JobServer.Transfers;

/// <summary>
/// Buffered output (<c>core.download(..., buffered=true)</c>): the job writes a spool file under the data
/// directory at its own pace; the client fetches it once the job has ended, within the buffered window.
/// </summary>
internal sealed class SpooledJobOutput : JobOutput
{
    private readonly string _path;
    private readonly FileStream _file;

    public SpooledJobOutput(string path)
    {
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024,
            FileOptions.Asynchronous);
    }

    public override Stream Writer => _file;

    public override void Complete(JobState state) => _file.Dispose();

    public override void Abandon(string reason) => Dispose();

    public override async Task PrepareAsync(Job job, CancellationToken cancellationToken)
    {
        await job.Finished.Task.WaitAsync(cancellationToken);
        if (job.State != JobState.Success)
        {
            throw new CallError($"The job ended {job.State.WireName()}; there is nothing to download", Errno.EFAULT);
        }
    }

    public override async Task CopyToAsync(PipeWriter destination, Job job, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        await file.CopyToAsync(destination, cancellationToken);
    }

    public override void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }
}
