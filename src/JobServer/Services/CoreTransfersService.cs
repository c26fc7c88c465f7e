using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Calls;
using JobServer.Configuration;
using JobServer.Dispatch;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Services;

/// <summary><c>core.download</c> and <c>core.job_download_logs</c>: jobs whose output a client fetches over HTTP.</summary>
[Namespace("core")]
internal sealed class CoreTransfersService(
    Lazy<Dispatcher> dispatcher,
    JobManager jobs,
    DownloadRegistry downloads,
    ITokenStore tokens,
    IOptions<TransferOptions> transferOptions,
    IOptions<JobServerOptions> serverOptions) : Service
{
    [Roles(Role.Authenticated)]
    [Description("Starts a job with an output pipe; returns [job_id, url] where GET url downloads the output once. " +
                 "Unbuffered: the download must begin within 60 s. Buffered: the output is spooled and may be " +
                 "fetched within an hour, after the job ended.")]
    public Task<JsonArray> Download(Caller caller, string method, JsonArray args, string filename,
        bool buffered = false) =>
        OfferAsync(caller, method, args, filename, buffered, allowPrivate: false);

    private async Task<JsonArray> OfferAsync(Caller caller, string method, JsonArray args, string filename,
        bool buffered, bool allowPrivate)
    {
        var descriptor = dispatcher.Value.ResolveJob(caller, method, allowPrivate);
        if (!descriptor.Job!.Pipes.HasFlag(JobPipes.Output))
        {
            throw new CallError($"{method} has no output to download", Errno.EINVAL);
        }

        JobOutput output = buffered
            ? new SpooledJobOutput(serverOptions.Value.DataPath("spool", $"download-{Guid.NewGuid():N}"))
            : new PipedJobOutput(transferOptions.Value.PipeBufferBytes);
        CallResult started;
        try
        {
            using var parameters = JsonDocument.Parse(args.ToJsonString());
            started = await dispatcher.Value.InvokeAsync(new CallRequest(caller, method, parameters.RootElement)
            {
                Pipes = new JobPipeSet(null, output), AllowPrivate = allowPrivate,
            }, CancellationToken.None);
        }
        catch
        {
            output.Dispose();
            throw;
        }

        if (started is not { Job: { } job, Outcome.IsError: false })
        {
            output.Dispose();
            throw new CallFailedException(started.Outcome.Error!);
        }

        downloads.Offer(job, output, filename, buffered);
        return new JsonArray(job.Id, $"/_download/{job.Id}?auth_token={await DownloadTokenAsync(caller, job.Id, filename)}");
    }

    [Roles(Role.Authenticated)]
    [Description("A download URL for a job's log file.")]
    public async Task<string> JobDownloadLogs(Caller caller, long id, string filename,
        CancellationToken cancellationToken = default)
    {
        var job = await jobs.QueryAsync(new JsonArray(new JsonArray("id", "=", id)),
            new Sdk.Query.QueryOptions { Get = true }, caller, cancellationToken);
        if (job?["logs_path"]?.GetValue<string>() is null)
        {
            throw new CallError("This job has no logs", Errno.EFAULT);
        }

        var pair = await OfferAsync(caller, "core.stream_job_log", [id], filename, buffered: false, allowPrivate: true);
        return pair[1]!.GetValue<string>();
    }

    [Private]
    [Job(Pipes = JobPipes.Output, Description = "Log of job {0}")]
    [Roles(Role.Authenticated)]
    public async Task StreamJobLog(IJobContext job, ICallContext caller, long id)
    {
        var record = await jobs.QueryAsync(new JsonArray(new JsonArray("id", "=", id)),
            new Sdk.Query.QueryOptions { Get = true }, caller, job.Aborted);
        var path = record?["logs_path"]?.GetValue<string>() ?? throw new CallError("This job has no logs", Errno.EFAULT);
        await using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, true);
        await log.CopyToAsync(job.Output, job.Aborted);
    }

    /// <summary>Single use, bound to the job and to the caller's address, short-lived (reference §4.1).</summary>
    private Task<string> DownloadTokenAsync(Caller caller, long jobId, string filename) =>
        tokens.GenerateAsync(new TokenInfo(
            caller.Username!,
            caller.Roles,
            new JsonObject { ["job"] = jobId, ["filename"] = filename },
            caller.SessionId,
            caller.ClientAddress,
            SingleUse: true,
            TimeSpan.FromSeconds(transferOptions.Value.DownloadTokenSeconds)), CancellationToken.None);
}
