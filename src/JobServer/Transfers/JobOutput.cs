using System.IO.Pipelines;
using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>Where a job's output goes until a client downloads it: straight through a pipe, or a spool file.</summary>
internal abstract class JobOutput : IDisposable
{
    /// <summary>Why a job whose download client went away failed.</summary>
    public const string ClientDisconnected = "The download client disconnected";

    /// <summary>The stream the job writes.</summary>
    public abstract Stream Writer { get; }

    /// <summary>The job ended; <paramref name="state"/> says whether the output is whole.</summary>
    public abstract void Complete(JobState state);

    /// <summary>Nobody will read the output (the window passed, or the client went away).</summary>
    public abstract void Abandon(string reason);

    /// <summary>
    /// The job wrote all its output: completes once a downloader has taken it (see
    /// <see cref="IJobPipes.WaitOutputTakenAsync"/>). A spool file is fetched after the job ends: nothing to wait for.
    /// </summary>
    public virtual Task WaitTakenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until the output can be sent (a spool file: until the job has ended); throws if it cannot.</summary>
    public virtual Task PrepareAsync(Job job, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Copies the output to the client (the response's <see cref="PipeWriter"/>: large writes, one flush per read,
    /// no per-write chunk of the response stream) until its end; throws when it ends broken.
    /// </summary>
    public abstract Task CopyToAsync(PipeWriter destination, Job job, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }
}
