using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary><c>core.get_jobs</c>: middlewared's filters and options over the jobs the caller may see.</summary>
    public async Task<JsonNode?> QueryAsync(JsonArray? filters, QueryOptions? options, ICallContext caller,
        CancellationToken cancellationToken)
    {
        return await _store.QueryAsync(filters, options, allOwners: caller.HasRole(Role.ReadonlyAdmin),
            caller.Username, cancellationToken);
    }

    /// <summary><c>core.job_wait</c>: waits for the job, then returns its result or raises its error.</summary>
    public async Task<JsonNode?> WaitAsync(long id, ICallContext caller, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(id, out var job))
        {
            if (!JobCaller.MaySee(caller, job.Request.Caller.Username))
            {
                throw NotFound(id);
            }

            await job.Finished.Task.WaitAsync(cancellationToken);
            return ResultOrError(job.Snapshot());
        }

        var record = await EnsureVisibleAsync(id, caller, cancellationToken);
        return ResultOrError(await UntilFinishedAsync(record, cancellationToken));
    }

    /// <summary>
    /// The row of a job once it finished. A job unfinished in the store but not active here runs on another node
    /// of the cluster: each of its events relayed here (or its takeover by this node) wakes the wait, which reads
    /// the row again — no polling; after a reconnect of the relay its catch-up publishes what was missed.
    /// </summary>
    private async Task<JobRecord> UntilFinishedAsync(JobRecord record, CancellationToken cancellationToken)
    {
        while (_signals is not null && record.State is "WAITING" or "RUNNING")
        {
            // Registered before the row is read again, so an end committed after that read still wakes it.
            var changed = _signals.NextChangeAsync(record.Id);
            if (_active.TryGetValue(record.Id, out var adopted))
            {
                // Taken over by this node meanwhile: it ends here.
                await adopted.Finished.Task.WaitAsync(cancellationToken);
                return adopted.Snapshot();
            }

            record = await _store.FindAsync(record.Id, cancellationToken) ?? throw NotFound(record.Id);
            if (record.State is "WAITING" or "RUNNING")
            {
                await changed.WaitAsync(cancellationToken);
            }
        }

        return record;
    }

    /// <summary>Whether a job with the id exists (for the transfer endpoints' 404 versus 410).</summary>
    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken)
    {
        if (_active.ContainsKey(id))
        {
            return true;
        }

        return await _store.ExistsAsync(id, cancellationToken);
    }

    private static JsonNode? ResultOrError(JobRecord record) => record.State == "SUCCESS"
        ? (record.ResultJson is null ? null : JsonNode.Parse(record.ResultJson))
        : throw JobFailure.ToException(record.Error, record.ExcInfoJson);

    private async Task<JobRecord> EnsureVisibleAsync(long id, ICallContext caller,
        CancellationToken cancellationToken = default)
    {
        var record = await _store.FindAsync(id, cancellationToken);
        return record is not null && JobCaller.MaySee(caller, record.Username) ? record : throw NotFound(id);
    }

    private static InstanceNotFoundException NotFound(long id) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Job with id {id} does not exist"));
}
