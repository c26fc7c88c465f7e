using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Jobs.Storage;

namespace JobServer.Jobs;

internal sealed partial class JobManager : IJobAwaiter
{
    /// <summary>
    /// For JSON-RPC's <c>legacy_jobs: false</c>: the job's result, its error as the call's own error, or null for
    /// an aborted job (reference §2.6). The caller just submitted the job, so no visibility check is needed.
    /// </summary>
    public async Task<CallOutcome> WaitForOutcomeAsync(long jobId, CancellationToken cancellationToken)
    {
        JobRecord? record;
        if (_active.TryGetValue(jobId, out var job))
        {
            await job.Finished.Task.WaitAsync(cancellationToken);
            record = job.Snapshot();
        }
        else
        {
            record = await _store.FindAsync(jobId, cancellationToken);
            if (record is not null)
            {
                record = await UntilFinishedAsync(record, cancellationToken);
            }
        }

        return record?.State switch
        {
            null => CallOutcome.Failure(ErrorMapper.FromException(NotFound(jobId))),
            "SUCCESS" => CallOutcome.Success(record.ResultJson is null ? null : JsonNode.Parse(record.ResultJson),
                typeof(JsonNode)),
            "ABORTED" => CallOutcome.Success(null, typeof(void)),
            _ => CallOutcome.Failure(ErrorMapper.FromException(JobFailure.ToException(record.Error, record.ExcInfoJson))),
        };
    }
}
