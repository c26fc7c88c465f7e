using System.Net;
using System.Text.Json;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>/jobs</c> against a real daemon with a real <see cref="HttpClient"/>: the seed's curl as printed, sync and
/// async, the reports, §1.2's error bodies, kills, and the job as an ordinary <c>spark.run</c> job.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkJobsTests(SparkDaemon fixture)
{
    private static readonly string[] StartedKeys = ["classPath", "context", "contextId", "duration", "jobId", "startTime", "status"];

    [Fact]
    public async Task TheSeedsCurl_Answers202Started_AndThePolledJobFinishesWithTheWordCounts()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);

        // curl -d "input.string = a b c a b see" "localhost:8090/jobs?appName=test&classPath=spark.jobserver.WordCountExample"
        var (status, started) = await PostAsync(root, "appName=test&classPath=spark.jobserver.WordCountExample",
            "input.string = a b c a b see");
        var jobId = started.GetProperty("jobId").GetString()!;
        var finished = await WaitForEndAsync(root, jobId);

        status.Should().Be(HttpStatusCode.Accepted);
        Keys(started).Should().Equal(StartedKeys);
        started.GetProperty("status").GetString().Should().Be("STARTED");
        started.GetProperty("duration").GetString().Should().Be("Job not done yet");
        started.GetProperty("classPath").GetString().Should().Be(WordCount);
        started.GetProperty("context").GetString().Should().EndWith("-" + WordCount);
        Guid.TryParse(jobId, out _).Should().BeTrue();
        finished.GetProperty("status").GetString().Should().Be("FINISHED");
        finished.GetProperty("duration").GetString().Should().MatchRegex(@"^\d+\.\d+ secs$");
        Counts(finished.GetProperty("result")).Should().BeEquivalentTo(
            new Dictionary<string, int> { ["a"] = 2, ["b"] = 2, ["see"] = 1, ["c"] = 1 });
    }

    [Fact]
    public async Task Sync_Answers200_WithExactlyJobIdAndResult()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);

        var (status, body) = await PostAsync(root, "appName=test&classPath=spark.jobserver.WordCountExample&sync=true&timeout=60",
            "input.string = a b c a b see");

        status.Should().Be(HttpStatusCode.OK);
        Keys(body).Should().Equal("jobId", "result");
        Counts(body.GetProperty("result")).Should().BeEquivalentTo(
            new Dictionary<string, int> { ["a"] = 2, ["b"] = 2, ["see"] = 1, ["c"] = 1 });
    }

    [Fact]
    public async Task CpAndMainClass_FromTheQueryOrAJsonConfig_RunTheSameJob()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "wc-cp");

        var (queryStatus, byQuery) = await PostAsync(root, $"cp=wc-cp&mainClass={WordCount}&sync=true&timeout=60",
            """{"input": {"string": "x y x"}}""");
        var (configStatus, byConfig) = await PostAsync(root, "sync=true&timeout=60",
            $"cp = [\"wc-cp\"]\nmainClass = {WordCount}\ninput.string = z");

        queryStatus.Should().Be(HttpStatusCode.OK);
        Counts(byQuery.GetProperty("result")).Should().BeEquivalentTo(new Dictionary<string, int> { ["x"] = 2, ["y"] = 1 });
        configStatus.Should().Be(HttpStatusCode.OK);
        Counts(byConfig.GetProperty("result")).Should().BeEquivalentTo(new Dictionary<string, int> { ["z"] = 1 });
    }

    [Theory]
    [InlineData("", "Cannot parse config: To start the job appName or cp parameters should be configured!")]
    [InlineData("appName=test", "Cannot parse config: classPath parameter is missing!")]
    [InlineData("cp=test", "Cannot parse config: mainClass parameter is missing!")]
    [InlineData("sync=true", "Cannot parse config: To start the job appName or cp parameters should be configured!")]
    public async Task MissingParameters_Answer400_WithSparksMessage_AndCreateNoJob(string query, string message)
    {
        using var root = fixture.Root;
        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, query, "input.string = a");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetRawText().Should().Be(JsonSerializer.Serialize(new { status = "ERROR", result = message }));
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sync=true")]
    public async Task AnUnparseableBody_Answers400CannotParse(string sync)
    {
        using var root = fixture.Root;

        var (status, body) = await PostAsync(root, $"appName=test&classPath={WordCount}{sync}", "this is not a config");

        status.Should().Be(HttpStatusCode.BadRequest);
        Keys(body).Should().Equal("result", "status");
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetString().Should().StartWith("Cannot parse");
    }

    [Fact]
    public async Task AnUnknownBinary_Answers404_AndCreatesNoJob()
    {
        using var root = fixture.Root;
        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, $"appName=BinaryNotFound&classPath={WordCount}", "input.string = a");

        status.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"appName BinaryNotFound not found"}""");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Fact]
    public async Task AnUnknownClass_Answers404_BeforeAnyJobExists()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);
        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, "appName=test&classPath=spark.jobserver.NoSuchJob", "input.string = a");

        status.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"classPath spark.jobserver.NoSuchJob not found"}""");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Fact]
    public async Task AJarThatIsNoArchive_AnswersJobLoadingFailed_BeforeAnyJobExists()
    {
        using var root = fixture.Root;
        using (var upload = await root.SendAsync(HttpMethod.Post, "/binaries/a-jar",
                   SparkDaemon.Binary(SparkDaemon.ZipLike(), "application/java-archive")))
        {
            upload.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, $"appName=a-jar&classPath={WordCount}", "input.string = a");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("JOB LOADING FAILED");
        Keys(body.GetProperty("result")).Should().Equal("errorClass", "message", "stack");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Fact]
    public async Task AClassThatIsNoSparkJob_AnswersJobLoadingFailed_FromItsWorker()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);

        var (status, body) = await PostAsync(root, "appName=testjobs&classPath=JobServer.TestPlugin.Spark.NotAJob&sync=true&timeout=60");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("JOB LOADING FAILED");
        body.GetProperty("result").GetProperty("message").GetString().Should().Contain("does not implement ISparkJob");
    }

    [Fact]
    public async Task AConfigItsJobRefuses_AnswersValidationFailed_WhenSync_AndEndsInError_WhenAsync()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);

        var (syncStatus, sync) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60", "other.key = 1");
        var (asyncStatus, started) = await PostAsync(root, $"appName=test&classPath={WordCount}", "other.key = 1");
        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);

        syncStatus.Should().Be(HttpStatusCode.BadRequest);
        sync.GetProperty("status").GetString().Should().Be("VALIDATION FAILED");
        sync.GetProperty("result").GetProperty("message").GetString().Should().Be("No input.string config param");
        asyncStatus.Should().Be(HttpStatusCode.Accepted);
        ended.GetProperty("status").GetString().Should().Be("ERROR");
        ended.GetProperty("result").GetProperty("message").GetString().Should().Be("No input.string config param");
    }

    [Fact]
    public async Task ASyncJobThatThrows_Answers200_WithJobIdStatusErrorAndTheException()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);

        var (status, body) = await PostAsync(root, "appName=testjobs&classPath=JobServer.TestPlugin.Spark.FailingJob&sync=true&timeout=60");
        var (deleteStatus, deleted) = await root.CallAsync(HttpMethod.Delete, $"/jobs/{body.GetProperty("jobId").GetString()}");

        status.Should().Be(HttpStatusCode.OK);
        Keys(body).Should().Equal("jobId", "result", "status");
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetProperty("message").GetString().Should().Be("test-error");
        body.GetProperty("result").GetProperty("stack").GetString().Should().Contain("InvalidOperationException");
        deleteStatus.Should().Be(HttpStatusCode.OK);
        Keys(deleted).Should().Equal("ERROR", "status");
        deleted.GetProperty("ERROR").GetProperty("message").GetString().Should().Be("test-error");
    }

    [Fact]
    public async Task DeleteOfARunningJob_Answers200Killed_AndTheJobEndsKilled()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);
        var (_, started) = await PostAsync(root, "appName=testjobs&classPath=JobServer.TestPlugin.Spark.WaitForKillJob");
        var jobId = started.GetProperty("jobId").GetString()!;

        var (status, killed) = await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");
        var ended = await WaitForEndAsync(root, jobId);
        var (againStatus, again) = await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");

        status.Should().Be(HttpStatusCode.OK);
        killed.GetRawText().Should().Be("""{"status":"KILLED"}""");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        ended.GetProperty("result").GetProperty("message").GetString().Should().Be($"Job {jobId} killed");
        ended.GetProperty("result").GetProperty("errorClass").GetString()
            .Should().Be("spark.jobserver.JobManagerActor$JobKilledException");
        againStatus.Should().Be(HttpStatusCode.NotFound);
        again.GetRawText().Should().Be($$"""{"status":"ERROR","result":"No running job with ID {{jobId}}"}""");
    }

    [Fact]
    public async Task ASyncJobPastItsTimeout_Answers202WithItsReport_AndRunsOn()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root);

        var (status, report) = await PostAsync(root, "appName=testjobs&classPath=JobServer.TestPlugin.Spark.WaitForKillJob&sync=true&timeout=1");
        var jobId = report.GetProperty("jobId").GetString()!;
        var (_, running) = await root.GetAsync($"/jobs/{jobId}");
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");

        status.Should().Be(HttpStatusCode.Accepted);
        report.GetProperty("status").GetString().Should().Be("RUNNING");
        running.GetProperty("status").GetString().Should().Be("RUNNING");
    }

    [Theory]
    [InlineData("nonexisting")]
    [InlineData("00000000-0000-8000-8000-00000fffffff")]
    [InlineData("5453779a-f004-45fc-a11d-a39dae0f9bf4")]
    public async Task UnknownIds_Answer404NoSuchJobId_ForGetAndDelete(string id)
    {
        using var root = fixture.Root;

        var (getStatus, get) = await root.GetAsync($"/jobs/{id}");
        var (deleteStatus, delete) = await root.CallAsync(HttpMethod.Delete, $"/jobs/{id}");

        getStatus.Should().Be(HttpStatusCode.NotFound);
        get.GetRawText().Should().Be($$"""{"status":"ERROR","result":"No such job ID {{id}}"}""");
        deleteStatus.Should().Be(HttpStatusCode.NotFound);
        delete.GetRawText().Should().Be(get.GetRawText());
    }

    [Fact]
    public async Task GetJobs_ListsReportsNewestFirst_FilteredByLowerCaseStatus_UpToLimit()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);
        var (_, first) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60", "input.string = one");
        var (_, second) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60", "input.string = two");

        var (status, listing) = await root.GetAsync("/jobs?status=finished&limit=2");
        var (_, killed) = await root.GetAsync("/jobs?status=killed");

        status.Should().Be(HttpStatusCode.OK);
        listing.EnumerateArray().Select(r => r.GetProperty("jobId").GetString())
            .Should().Equal(second.GetProperty("jobId").GetString(), first.GetProperty("jobId").GetString());
        listing.EnumerateArray().Should().AllSatisfy(r =>
        {
            Keys(r).Should().Equal(StartedKeys);
            r.GetProperty("status").GetString().Should().Be("FINISHED");
        });
        killed.EnumerateArray().Should().AllSatisfy(r => r.GetProperty("status").GetString().Should().Be("KILLED"));
    }

    [Fact]
    public async Task ASparkJob_IsAnOrdinarySparkRunJob_InCoreGetJobs()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);
        await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60", "input.string = seen");

        var (status, jobs) = await root.GetAsync("/api/v2.0/core/get_jobs?method=spark.run");

        status.Should().Be(HttpStatusCode.OK);
        var job = jobs.EnumerateArray().Last();
        job.GetProperty("method").GetString().Should().Be("spark.run");
        job.GetProperty("state").GetString().Should().Be("SUCCESS");
        job.GetProperty("description").GetString().Should().Be($"Spark job {WordCount} from test");
        var arguments = job.GetProperty("arguments");
        arguments[0].GetString().Should().Be("test");
        arguments[1].GetString().Should().Be(WordCount);
        arguments[2].GetProperty("input").GetProperty("string").GetString().Should().Be("seen");
        arguments[3].ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task AnUnknownContext_Answers404()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);

        var (status, body) = await PostAsync(root, $"appName=test&classPath={WordCount}&context=nope", "input.string = a");

        status.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"context nope not found"}""");
    }

    [Fact]
    public async Task Credentials_AreRequired_AndAReader_MayListButNotRun()
    {
        using var anonymous = fixture.Anonymous;
        using var reader = fixture.Reader;

        var (anonymousStatus, _) = await PostAsync(anonymous, $"appName=test&classPath={WordCount}", "input.string = a");
        var (readerStatus, _) = await PostAsync(reader, $"appName=test&classPath={WordCount}", "input.string = a");
        var (listStatus, _) = await reader.GetAsync("/jobs");

        anonymousStatus.Should().Be(HttpStatusCode.Unauthorized);
        readerStatus.Should().Be(HttpStatusCode.Forbidden);
        listStatus.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetConfig_AnswersThePostedConfig_ForAsyncAndSyncJobs()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root);
        var (_, started) = await PostAsync(root, $"appName=test&classPath={WordCount}", "input.string = a b c a b see");
        var (_, sync) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60", """{"input": {"string": "x"}}""");

        var (asyncStatus, asyncConfig) = await root.GetAsync($"/jobs/{started.GetProperty("jobId").GetString()}/config");
        var (syncStatus, syncConfig) = await root.GetAsync($"/jobs/{sync.GetProperty("jobId").GetString()}/config");
        var (unknownStatus, unknown) = await root.GetAsync("/jobs/nonexisting/config");

        asyncStatus.Should().Be(HttpStatusCode.OK);
        asyncConfig.GetRawText().Should().Be("""{"input":{"string":"a b c a b see"}}""");
        syncStatus.Should().Be(HttpStatusCode.OK);
        syncConfig.GetRawText().Should().Be("""{"input":{"string":"x"}}""");
        unknownStatus.Should().Be(HttpStatusCode.NotFound);
        unknown.GetRawText().Should().Be("""{"status":"ERROR","result":"No such job ID nonexisting"}""");
    }

    [Fact]
    public async Task DeletingABinaryInUse_Answers403WithTheJobsIds_AndSucceedsOnceTheJobEnded()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root, "in-use");
        var (_, started) = await PostAsync(root, "appName=in-use&classPath=JobServer.TestPlugin.Spark.WaitForKillJob");
        var jobId = started.GetProperty("jobId").GetString()!;

        var (inUseStatus, inUse) = await root.CallAsync(HttpMethod.Delete, "/binaries/in-use");
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");
        await WaitForEndAsync(root, jobId);
        var (deletedStatus, _) = await root.CallAsync(HttpMethod.Delete, "/binaries/in-use");

        inUseStatus.Should().Be(HttpStatusCode.Forbidden);
        inUse.GetRawText().Should().Be($$"""{"status":"ERROR","result":"Binary is in use by job(s): {{jobId}}"}""");
        deletedStatus.Should().Be(HttpStatusCode.OK);
    }

    private static Dictionary<string, int> Counts(JsonElement result) =>
        result.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
