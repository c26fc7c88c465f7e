using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>The pipes a transfer attaches to a job: an upload as its input, a download as its output.</summary>
internal sealed class JobPipeSet(UploadStream? input, JobOutput? output) : IJobPipes
{
    public Stream? Input => input;

    public Stream? Output => output?.Writer;

    public void OnJobFinished(JobState state)
    {
        output?.Complete(state);
        input?.JobEnded();
    }

    public Task WaitOutputTakenAsync(CancellationToken cancellationToken) =>
        output?.WaitTakenAsync(cancellationToken) ?? Task.CompletedTask;
}
