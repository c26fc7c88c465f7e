using System.Diagnostics;
using System.Net;
using static JobServer.IntegrationTests.Spark.SparkContextsClient;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>/contexts</c> against a real daemon (reference §1.4, behaviours 18, 23, 26–30): every answer's exact shape,
/// jobs sharing a context's one process, slots (503 or a queue), a stop that kills its jobs, a context process
/// killed with <c>kill -9</c>, and a reboot.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkContextsTests(SparkDaemon fixture)
{
    [Fact]
    public async Task Create_List_Show_Delete_AnswerAsSparksRoutes()
    {
        using var root = fixture.Root;

        var (created, body) = await CreateAsync(root, "ctx-life", "num-cpu-cores=2&memory-per-node=512m");
        var names = await NamesAsync(root);
        var (shown, info) = await root.GetAsync("/contexts/ctx-life");
        var (deleted, stopped) = await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-life");
        var (gone, missing) = await root.GetAsync("/contexts/ctx-life");
        var (deletedAgain, notFound) = await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-life");

        created.Should().Be(HttpStatusCode.OK);
        body.GetRawText().Should().Be("""{"status":"SUCCESS","result":"Context initialized"}""");
        names.Should().Contain("ctx-life");
        shown.Should().Be(HttpStatusCode.OK);
        info.GetProperty("name").GetString().Should().Be("ctx-life");
        info.GetProperty("applicationId").GetString().Should().StartWith("local-");
        info.GetProperty("state").GetString().Should().Be("RUNNING");
        info.GetProperty("max-jobs").GetInt32().Should().Be(Environment.ProcessorCount);
        info.GetProperty("running-jobs").GetInt32().Should().Be(0);
        info.GetProperty("settings").GetProperty("memory-per-node").GetString().Should().Be("512m");
        deleted.Should().Be(HttpStatusCode.OK);
        stopped.GetRawText().Should().Be("""{"status":"SUCCESS","result":"Context stopped"}""");
        gone.Should().Be(HttpStatusCode.NotFound);
        missing.GetRawText().Should().Be("""{"status":"ERROR","result":"can't find context with name ctx-life"}""");
        deletedAgain.Should().Be(HttpStatusCode.NotFound);
        notFound.GetRawText().Should().Be("""{"status":"ERROR","result":"context ctx-life not found"}""");
        (await NamesAsync(root)).Should().NotContain("ctx-life");
    }

    [Fact]
    public async Task CreatingAnExistingName_Answers400Exists_AndABadName_400MustStartWithLetters()
    {
        using var root = fixture.Root;
        await CreatedAsync(root, "ctx-twice");

        var (again, exists) = await CreateAsync(root, "ctx-twice");
        var (digit, badName) = await CreateAsync(root, "1ctx");
        var (setting, badSetting) = await CreateAsync(root, "ctx-bad", "max-jobs=lots");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-twice");

        again.Should().Be(HttpStatusCode.BadRequest);
        exists.GetRawText().Should().Be("""{"status":"ERROR","result":"context ctx-twice exists"}""");
        digit.Should().Be(HttpStatusCode.BadRequest);
        badName.GetRawText().Should().Be("""{"status":"ERROR","result":"context name must start with letters"}""");
        setting.Should().Be(HttpStatusCode.BadRequest);
        badSetting.GetProperty("result").GetString().Should().StartWith("max-jobs must be a whole number");
        (await NamesAsync(root)).Should().NotContain(["1ctx", "ctx-bad"]);
    }

    [Fact]
    public async Task TheBodysContextSettings_WinOverTheQuery_AsSparksCustomCtx()
    {
        using var root = fixture.Root;

        var (status, _) = await CreateAsync(root, "custom-ctx", "override_me=2&max-jobs=5",
            "spark.context-settings {\n  override_me = 3\n  max-jobs = 2\n}");
        var (_, info) = await root.GetAsync("/contexts/custom-ctx");
        await root.CallAsync(HttpMethod.Delete, "/contexts/custom-ctx");

        status.Should().Be(HttpStatusCode.OK);
        info.GetProperty("settings").GetProperty("override_me").GetInt32().Should().Be(3);
        info.GetProperty("max-jobs").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task JobsOnAContext_ShareItsOneProcess_AndReportItsNameAndId()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        var context = await CreatedAsync(root, "ctx-shared");

        var (firstStatus, first) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-shared&sync=true&timeout=60");
        var (_, second) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-shared&sync=true&timeout=60");
        var (_, report) = await root.GetAsync($"/jobs/{first.GetProperty("jobId").GetString()}");
        var (_, adHoc) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&sync=true&timeout=60");
        var (_, coreJobs) = await root.GetAsync("/api/v2.0/core/get_jobs?method=spark.run");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-shared");

        firstStatus.Should().Be(HttpStatusCode.OK);
        var pid = context.GetProperty("pid").GetInt32();
        first.GetProperty("result").GetProperty("pid").GetInt32().Should().Be(pid);
        second.GetProperty("result").GetProperty("pid").GetInt32().Should().Be(pid);
        first.GetProperty("result").GetProperty("context").GetString().Should().Be("ctx-shared");
        adHoc.GetProperty("result").GetProperty("pid").GetInt32().Should().NotBe(pid);
        pid.Should().NotBe(Environment.ProcessId);
        report.GetProperty("context").GetString().Should().Be("ctx-shared");
        report.GetProperty("contextId").GetString().Should().Be(context.GetProperty("id").GetString());
        coreJobs.EnumerateArray().Should().Contain(j => j.GetProperty("arguments")[3].ValueKind == System.Text.Json.JsonValueKind.String &&
                                                        j.GetProperty("arguments")[3].GetString() == "ctx-shared");
    }

    [Fact]
    public async Task ManyConcurrentSyncJobs_OnAQueueingContext_EachGetTheirOwnResult()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "wc-many");
        await CreatedAsync(root, "ctx-many", "max-jobs=3&queue-when-full=true");

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            PostAsync(root, $"appName=wc-many&classPath={WordCount}&context=ctx-many&sync=true&timeout=60", $"input.string = w{i} w{i} x")));
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-many");

        answers.Should().AllSatisfy(a => a.Status.Should().Be(HttpStatusCode.OK));
        answers.Select((a, i) => a.Body.GetProperty("result").GetProperty($"w{i}").GetInt32()).Should().AllBeEquivalentTo(2);
        answers.Select(a => a.Body.GetProperty("jobId").GetString()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task SyncJobsOneAfterAnother_OnAOneSlotContext_NeverFindItFull()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "wc-serial");
        await CreatedAsync(root, "ctx-serial", "max-jobs=1");

        // Each job is posted the moment the last one answered: its slot must already be free (no queueing here).
        for (var i = 0; i < 20; i++)
        {
            var answer = await PostAsync(root, $"appName=wc-serial&classPath={WordCount}&context=ctx-serial&sync=true&timeout=60",
                "input.string = a b a");
            answer.Status.Should().Be(HttpStatusCode.OK, $"job {i} of 20 came right after the one before it answered");
        }

        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-serial");
    }

    [Fact]
    public async Task AContext_LoadsAVersionOnce_AndAReuploadedVersionSeparately()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root, "counted");
        await CreatedAsync(root, "ctx-warm");
        var run = $"appName=counted&classPath={TestJobs}RunCountJob&context=ctx-warm&sync=true&timeout=60";

        var (_, first) = await PostAsync(root, run);
        var (_, second) = await PostAsync(root, run);
        await UploadTestJobsAsync(root, "counted");
        var (_, reuploaded) = await PostAsync(root, run);
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-warm");

        first.GetProperty("result").GetInt32().Should().Be(1);
        second.GetProperty("result").GetInt32().Should().Be(2, "the second job reuses the loaded version: its static count goes on");
        reuploaded.GetProperty("result").GetInt32().Should().Be(1, "a new version is another assembly with its own statics");
    }

    [Fact]
    public async Task AFullContext_Answers503NoSlotsAvailable_CreatesNoJob_AndTakesJobsAgainOnceOneEnds()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        await CreatedAsync(root, "ctx-full", "max-jobs=1");
        var (_, running) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}WaitForKillJob&context=ctx-full");
        var before = await SparkJobCountAsync(root);

        var (full, refusal) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-full");
        var after = await SparkJobCountAsync(root);
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{running.GetProperty("jobId").GetString()}");
        await WaitForEndAsync(root, running.GetProperty("jobId").GetString()!);
        var (again, _) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-full&sync=true&timeout=60");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-full");

        full.Should().Be(HttpStatusCode.ServiceUnavailable);
        refusal.GetRawText().Should().Be("""{"status":"NO SLOTS AVAILABLE","result":"Too many running jobs (1) for job context 'ctx-full'"}""");
        after.Should().Be(before);
        again.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AQueueingContext_QueuesTheJobBeyondItsSlots_AndRunsItWhenASlotFrees()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        await CreatedAsync(root, "ctx-queue", "max-jobs=1&queue-when-full=true");
        var (_, blocking) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}WaitForKillJob&context=ctx-queue");
        await WaitForRunningJobsAsync(root, "ctx-queue", running: 1);

        var (queuedStatus, queued) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-queue");
        var (_, whileQueued) = await WaitForRunningJobsAsync(root, "ctx-queue", running: 1, queued: 1);
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{blocking.GetProperty("jobId").GetString()}");
        var ended = await WaitForEndAsync(root, queued.GetProperty("jobId").GetString()!);
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-queue");

        queuedStatus.Should().Be(HttpStatusCode.Accepted);
        whileQueued.GetProperty("queue-when-full").GetBoolean().Should().BeTrue();
        ended.GetProperty("status").GetString().Should().Be("FINISHED");
    }

    [Fact]
    public async Task DeletingAContext_KillsItsRunningJob_WhichEndsKilled()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        await CreatedAsync(root, "ctx-kill");
        var (_, started) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}WaitForKillJob&context=ctx-kill");
        await WaitForRunningJobsAsync(root, "ctx-kill", running: 1);

        var (status, stopped) = await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-kill");
        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);
        var (unknown, body) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-kill");

        status.Should().Be(HttpStatusCode.OK);
        stopped.GetProperty("result").GetString().Should().Be("Context stopped");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        unknown.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"context ctx-kill not found"}""");
    }

    [Fact]
    public async Task AContextProcessKilledWithSigkill_FailsItsJobsAsTerminated_AndTheDaemonLivesOn()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        var context = await CreatedAsync(root, "ctx-dies");
        var (_, started) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}WaitForKillJob&context=ctx-dies");
        await WaitForRunningJobsAsync(root, "ctx-dies", running: 1);

        using (var process = Process.GetProcessById(context.GetProperty("pid").GetInt32()))
        {
            process.Kill(); // SIGKILL on Linux
        }

        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);
        var (gone, _) = await WaitForAsync(root, "ctx-dies", (status, _) => status == HttpStatusCode.NotFound);
        var (health, _) = await root.GetAsync("/healthz");

        ended.GetProperty("status").GetString().Should().Be("ERROR");
        ended.GetProperty("result").GetProperty("message").GetString().Should().Be("Context (ctx-dies) for this job was terminated");
        gone.Should().Be(HttpStatusCode.NotFound);
        (await NamesAsync(root)).Should().NotContain("ctx-dies");
        health.Should().Be(HttpStatusCode.OK);
        await CreatedAsync(root, "ctx-dies"); // The name is free again.
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-dies");
    }

    [Fact]
    public async Task PutResetReboot_Answers200ContextReset_AndRecreatesEachContextWithItsSettings()
    {
        using var root = fixture.Root;
        var before = await CreatedAsync(root, "ctx-reboot", "max-jobs=3");

        var (status, body) = await root.CallAsync(HttpMethod.Put, "/contexts?reset=reboot");
        var (_, after) = await root.GetAsync("/contexts/ctx-reboot");
        var (noReset, _) = await root.CallAsync(HttpMethod.Put, "/contexts");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-reboot");

        status.Should().Be(HttpStatusCode.OK);
        body.GetRawText().Should().Be("""{"status":"SUCCESS","result":"Context reset"}""");
        after.GetProperty("max-jobs").GetInt32().Should().Be(3);
        after.GetProperty("pid").GetInt32().Should().NotBe(before.GetProperty("pid").GetInt32());
        after.GetProperty("id").GetString().Should().NotBe(before.GetProperty("id").GetString());
        noReset.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Credentials_AreRequired_AndAReader_MayListAndShowButNotCreateOrDelete()
    {
        using var root = fixture.Root;
        using var reader = fixture.Reader;
        using var anonymous = fixture.Anonymous;
        await CreatedAsync(root, "ctx-rights");

        var (anonymousStatus, _) = await anonymous.GetAsync("/contexts");
        var (listStatus, _) = await reader.GetAsync("/contexts");
        var (showStatus, _) = await reader.GetAsync("/contexts/ctx-rights");
        var (createStatus, _) = await CreateAsync(reader, "ctx-reader");
        var (deleteStatus, _) = await reader.CallAsync(HttpMethod.Delete, "/contexts/ctx-rights");
        var (resetStatus, _) = await reader.CallAsync(HttpMethod.Put, "/contexts?reset=reboot");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-rights");

        anonymousStatus.Should().Be(HttpStatusCode.Unauthorized);
        (listStatus, showStatus).Should().Be((HttpStatusCode.OK, HttpStatusCode.OK));
        (createStatus, deleteStatus, resetStatus).Should().Be((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden));
    }
}
