using System.Diagnostics;
using System.Text.Json;
using JobServer.IntegrationTests.Support;
using JobServer.Sdk.Errors;

namespace JobServer.IntegrationTests.Workers;

/// <summary>
/// <c>[Job(Process = true)]</c> bodies run in worker processes: what a job can do in the daemon works the same
/// there, and whatever happens to a worker fails only its own job.
/// </summary>
public sealed class ProcessJobTests(WorkersDaemon fixture) : IClassFixture<WorkersDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task AProcessJob_RunsInAWorker_WhosePidIsListedByGetWorkers()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var pid = (await client.CallResultAsync("core.job_wait", await JobAsync(client, "testprocess.pid"))).GetInt32();

        pid.Should().NotBe(Environment.ProcessId, "the daemon runs in this test process; the body must not");
        Process.GetProcessById(pid).ProcessName.Should().NotBeNullOrEmpty();
        var workers = await client.CallResultAsync("core.get_workers");
        workers.EnumerateArray().Select(w => w.GetProperty("pid").GetInt32()).Should().Contain(pid);
        var worker = workers.EnumerateArray().First(w => w.GetProperty("pid").GetInt32() == pid);
        worker.GetProperty("memory_limit_mb").GetInt32().Should().Be(WorkersDaemon.MemoryLimitMb);
        worker.GetProperty("jobs_run").GetInt32().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task ProgressDescriptionAndLog_FromTheWorker_ReachTheJobAndItsEvents()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = await JobAsync(client, "testprocess.report", 4);
        var last = await watcher.Client.ReceiveAsync(m => IsJobEvent(m, id) &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("percent").ValueKind == JsonValueKind.Number &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("percent").GetInt32() == 100 &&
            m.GetProperty("fields").GetProperty("description").ValueKind == JsonValueKind.String);
        var progress = last.GetProperty("fields").GetProperty("progress");
        progress.GetProperty("description").GetString().Should().Be("step 4 of 4");
        progress.GetProperty("extra").GetProperty("step").GetInt32().Should().Be(4);
        last.GetProperty("fields").GetProperty("description").GetString().Should().Be("reported 4 steps");

        await client.CallResultAsync("core.job_abort", id);
        var aborted = await watcher.StateAsync(id, "ABORTED");
        aborted.GetProperty("logs_excerpt").GetString().Should().Contain("step 1 in pid").And.Contain("step 4 in pid")
            .And.NotContain($"pid {Environment.ProcessId}\n");
    }

    [Fact]
    public async Task AbortOfABusyWorker_EndsItsJobAborted_AndTheWorkerServesTheNextJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = await JobAsync(client, "testprocess.busy", "abort me");
        await watcher.Client.ReceiveAsync(m => IsJobEvent(m, id) &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString() == "spinning: abort me");
        await client.CallResultAsync("core.job_abort", id);

        var aborted = await watcher.StateAsync(id, "ABORTED");
        aborted.GetProperty("error").GetString().Should().NotContain("killed", "the busy job honoured its token");
        (await client.CallResultAsync("core.job_wait", await JobAsync(client, "testprocess.echo", 7))).GetInt32().Should().Be(7);
    }

    [Fact]
    public async Task AJobThatIgnoresItsAbort_HasItsWorkerKilledAfterTheGrace()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = await JobAsync(client, "testprocess.stubborn", "kill me");
        await watcher.Client.ReceiveAsync(m => IsJobEvent(m, id) &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString() == "ignoring aborts: kill me");
        var pid = BusyWorkerOf(await client.CallResultAsync("core.get_workers"), id);
        await client.CallResultAsync("core.job_abort", id);

        var aborted = await watcher.StateAsync(id, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Contain("did not stop within 1 s")
            .And.Contain("its worker process was killed");
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.IsGone(pid), TimeSpan.FromSeconds(30))).Should().BeTrue($"worker {pid} ended");
        var next = (await client.CallResultAsync("core.job_wait", await JobAsync(client, "testprocess.pid"))).GetInt32();
        next.Should().NotBe(pid);
    }

    [Theory]
    [InlineData("testprocess.fail_fast", "SIGABRT")]
    [InlineData("testprocess.overflow", "Stack overflow")]
    public async Task AWorkerThatDies_FailsOnlyItsJob_WhileAnotherConnectionKeepsCalling(string method, string how)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var pinger = await Daemon.ConnectAsync();
        using var stopPinging = new CancellationTokenSource();
        var pings = PingUntilAsync(pinger, stopPinging.Token);
        var bystander = await JobAsync(client, "testprocess.report", 1); // another process job, in another worker

        object[] args = method.EndsWith("fail_fast", StringComparison.Ordinal) ? ["fail fast on purpose"] : [0];
        var id = await JobAsync(client, method, args);
        var error = await client.CallErrorAsync("core.job_wait", id);

        var job = await JobAsync(client, id);
        job.GetProperty("state").GetString().Should().Be("FAILED");
        job.GetProperty("error").GetString().Should().Contain("The worker process (pid ").And.Contain("ended while running the job")
            .And.Contain(how);
        error.GetProperty("reason").GetString().Should().Contain("ended while running the job");
        (await JobAsync(client, bystander)).GetProperty("state").GetString().Should().Be("RUNNING");
        await client.CallResultAsync("core.job_abort", bystander);
        (await client.CallResultAsync("core.job_wait", await JobAsync(client, "testprocess.echo", 1))).GetInt32().Should().Be(1);
        await stopPinging.CancelAsync();
        (await pings).Should().BeGreaterThan(0, "the daemon answered pings throughout");
    }

    [Fact]
    public async Task AMemoryHungryJob_FailsOutOfMemory_AndTheDaemonIsUnaffected()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var id = await JobAsync(client, "testprocess.hog", 16);
        await client.CallErrorAsync("core.job_wait", id);

        var job = await JobAsync(client, id);
        job.GetProperty("state").GetString().Should().Be("FAILED");
        job.GetProperty("error").GetString().Should().Contain("Out of memory", "the limit is the worker's heap hard limit");
        job.GetProperty("exc_info").GetProperty("errno").GetInt32().Should().Be(Errno.ENOMEM);
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        (await client.CallResultAsync("core.job_wait", await JobAsync(client, "testprocess.echo", 2))).GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task ACallErrorsErrnoAndExtra_AndAnUnexpectedExceptionsTypeAndTrace_CrossTheBoundary()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var failed = await JobAsync(client, await JobAsync(client, "testprocess.fail", Errno.EBUSY), wait: true);
        failed.GetProperty("error").GetString().Should().Be("[EBUSY] failed on purpose in a worker");
        failed.GetProperty("exc_info").GetProperty("errno").GetInt32().Should().Be(Errno.EBUSY);
        failed.GetProperty("exc_info").GetProperty("extra").GetProperty("pid").GetInt32().Should().NotBe(Environment.ProcessId);

        var crashed = await JobAsync(client, await JobAsync(client, "testprocess.crash"), wait: true);
        crashed.GetProperty("exc_info").GetProperty("type").GetString().Should().Be("InvalidOperationException");
        crashed.GetProperty("error").GetString().Should().Contain("unexpected in a worker");
        crashed.GetProperty("exception").GetString().Should().Contain("ProcessJobsService.Crash");
    }

    [Fact]
    public async Task AJobCallsOtherServices_AsItsOwner_WithTheOwnersRightsOnly()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var plain = await Daemon.ConnectAsAccountAsync("worker-plain");

        var sessions = await root.CallResultAsync("core.job_wait", await JobAsync(root, "testprocess.call", "auth.sessions"));
        sessions.ValueKind.Should().Be(JsonValueKind.Array);
        var echoed = await root.CallResultAsync("core.job_wait",
            await JobAsync(root, "testprocess.call", "testjobs.echo", new object[] { 42 }));
        echoed.GetInt32().Should().Be(42, "a job method's call waits for that job's result");

        var refused = await JobAsync(root, await JobAsync(plain, "testprocess.call", "auth.sessions"), wait: true);
        refused.GetProperty("state").GetString().Should().Be("FAILED");
        refused.GetProperty("error").GetString().Should().Be("[EACCES] Not authorized");
        refused.GetProperty("exc_info").GetProperty("errno").GetInt32().Should().Be(Errno.EACCES);
    }

    [Fact]
    public async Task AnUploadPipesIntoAProcessJob_AndADownloadOutOfOne()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var bytes = Transfer.Pattern(3 * 1024 * 1024 + 17);

        using var uploaded = await Transfer.UploadAsync(Daemon.BaseUri, Transfer.Multipart(
            ("data", Transfer.Data("testprocess.consume")), ("file", new ByteArrayContent(bytes))));
        var jobId = (await Transfer.JsonAsync(uploaded)).GetProperty("job_id").GetInt64();
        var consumed = await client.CallResultAsync("core.job_wait", jobId);
        consumed.GetProperty("bytes").GetInt64().Should().Be(bytes.Length);
        consumed.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

        var (downloadJob, url) = await Transfer.OfferAsync(client, "testprocess.produce", [(long)bytes.Length], "pattern.bin");
        using var http = Transfer.Client(Daemon.BaseUri);
        var downloaded = await http.GetByteArrayAsync(url);
        downloaded.Should().Equal(bytes);
        (await client.CallResultAsync("core.job_wait", downloadJob)).GetInt64().Should().Be(bytes.Length);
    }

    private static bool IsJobEvent(JsonElement m, long id) =>
        m.Msg() is "added" or "changed" && m.GetProperty("collection").GetString() == "core.get_jobs" &&
        m.GetProperty("id").GetInt64() == id;

    private static async Task<long> JobAsync(DdpClient client, string method, params object?[] args) =>
        (await client.CallResultAsync(method, args)).GetInt64();

    private static async Task<JsonElement> JobAsync(DdpClient client, long id, bool wait = false)
    {
        if (wait)
        {
            await client.CallAsync("core.job_wait", id);
        }

        var jobs = await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", id } });
        return jobs[0];
    }

    private static int BusyWorkerOf(JsonElement workers, long jobId) =>
        workers.EnumerateArray().First(w => w.GetProperty("job_id").ValueKind == JsonValueKind.Number &&
                                            w.GetProperty("job_id").GetInt64() == jobId).GetProperty("pid").GetInt32();

    private static async Task<int> PingUntilAsync(DdpClient client, CancellationToken stop)
    {
        var pings = 0;
        while (!stop.IsCancellationRequested)
        {
            (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
            pings++;
        }

        return pings;
    }
}
