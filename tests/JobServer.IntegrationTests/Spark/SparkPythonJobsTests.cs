using System.IO.Compression;
using System.Net;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;
using JobServer.Probes;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// Python jobs: the example word count packed as a wheel by the test, uploaded, and run by <c>python3</c> through
/// the daemon's runner — the same answers as a .NET job, and a kill ends the interpreter.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkPythonJobsTests(SparkDaemon fixture)
{
    private const string WordCountClass = "example_jobs.word_count.WordCountSparkJob";

    [CommandFact("python3")]
    public async Task ThePythonWordCount_AnswersAsTheSeedsJob_SyncAndAsync()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pywc");

        var (status, sync) = await PostAsync(root, $"appName=pywc&classPath={WordCountClass}&sync=true&timeout=60",
            "input.string = a b c a b see");
        var (_, started) = await PostAsync(root, $"appName=pywc&classPath={WordCountClass}", "input.string = a b c a b see");
        var finished = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);

        status.Should().Be(HttpStatusCode.OK);
        sync.GetProperty("result").GetRawText().Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
        finished.GetProperty("status").GetString().Should().Be("FINISHED");
        finished.GetProperty("result").GetRawText().Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
    }

    [CommandFact("python3")]
    public async Task ARefusedConfig_AnswersValidationFailed()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pywc");

        var (status, body) = await PostAsync(root, $"appName=pywc&classPath={WordCountClass}&sync=true&timeout=60", "other = 1");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("VALIDATION FAILED");
        body.GetProperty("result").GetProperty("message").GetString().Should().Be("No input.string config param");
    }

    [CommandFact("python3")]
    public async Task AMissingModule_Answers404BeforeAnyJob_AndAMissingClassInItsModule_404FromTheRunner()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pywc");
        var (_, before) = await root.GetAsync("/api/v2.0/core/get_jobs?method=spark.run&count=true");

        var (moduleStatus, module) = await PostAsync(root, "appName=pywc&classPath=no_such.module.Job", "input.string = a");
        var (_, after) = await root.GetAsync("/api/v2.0/core/get_jobs?method=spark.run&count=true");
        var (classStatus, missing) = await PostAsync(root, "appName=pywc&classPath=example_jobs.word_count.NoSuchJob&sync=true&timeout=60");

        moduleStatus.Should().Be(HttpStatusCode.NotFound);
        module.GetRawText().Should().Be("""{"status":"ERROR","result":"classPath no_such.module.Job not found"}""");
        after.GetInt32().Should().Be(before.GetInt32());
        classStatus.Should().Be(HttpStatusCode.NotFound);
        missing.GetRawText().Should().Be("""{"status":"ERROR","result":"classPath example_jobs.word_count.NoSuchJob not found"}""");
    }

    [CommandFact("python3")]
    public async Task AJobThatRaises_Answers200WithTheErrorForm_AndThePythonTraceback()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pywc");

        var (status, body) = await PostAsync(root, "appName=pywc&classPath=example_jobs.word_count.FailingSparkJob&sync=true&timeout=60");

        status.Should().Be(HttpStatusCode.OK);
        Keys(body).Should().Equal("jobId", "result", "status");
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetProperty("message").GetString().Should().Be("test-error");
        body.GetProperty("result").GetProperty("errorClass").GetString().Should().Be("ValueError");
        body.GetProperty("result").GetProperty("stack").GetString().Should().Contain("Traceback").And.Contain("ValueError");
    }

    [CommandFact("python3")]
    public async Task DeleteOfARunningPythonJob_KillsItsInterpreter()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pysleep");
        var (_, started) = await PostAsync(root, "appName=pysleep&classPath=example_jobs.word_count.SleepingSparkJob");
        var jobId = started.GetProperty("jobId").GetString()!;
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count > 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the interpreter starts");

        var (status, killed) = await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");
        var ended = await WaitForEndAsync(root, jobId);

        status.Should().Be(HttpStatusCode.OK);
        killed.GetRawText().Should().Be("""{"status":"KILLED"}""");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count == 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("a kill ends the interpreter");
    }

    [CommandFact("python3")]
    public async Task APythonJobOnAContext_TakesASlot_AndDiesWithTheContext()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pysleep-ctx");
        await SparkContextsClient.CreatedAsync(root, "ctx-python", "max-jobs=1");
        var (_, started) = await PostAsync(root, "appName=pysleep-ctx&classPath=example_jobs.word_count.SleepingSparkJob&context=ctx-python");
        var jobId = started.GetProperty("jobId").GetString()!;
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count > 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the interpreter starts");

        var (full, _) = await PostAsync(root, $"appName=pysleep-ctx&classPath={WordCountClass}&context=ctx-python", "input.string = a");
        var (deleted, _) = await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-python");
        var ended = await WaitForEndAsync(root, jobId);

        full.Should().Be(HttpStatusCode.ServiceUnavailable);
        deleted.Should().Be(HttpStatusCode.OK);
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count == 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the context's stop ends the interpreter");
    }

    [CommandFact("python3")]
    public async Task AContextProcessKilledWithSigkill_TakesItsPythonInterpretersAlong()
    {
        using var root = fixture.Root;
        await UploadWheelAsync(root, "pysleep-dies");
        var context = await SparkContextsClient.CreatedAsync(root, "ctx-python-dies");
        var (_, started) = await PostAsync(root, "appName=pysleep-dies&classPath=example_jobs.word_count.SleepingSparkJob&context=ctx-python-dies");
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count > 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the interpreter starts");

        using (var process = System.Diagnostics.Process.GetProcessById(context.GetProperty("pid").GetInt32()))
        {
            process.Kill(); // SIGKILL: the worker kills no tree
        }

        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);

        ended.GetProperty("result").GetProperty("message").GetString().Should().Be("Context (ctx-python-dies) for this job was terminated");
        (await ProcessTable.WaitUntilAsync(() => ProcessTable.Containing("example_jobs.word_count.SleepingSparkJob").Count == 0,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the interpreter ends once its worker is gone");
    }

    /// <summary>examples/WordCount/python packed as a pure-Python wheel (its modules and a minimal dist-info).</summary>
    private static async Task UploadWheelAsync(RestClient client, string name)
    {
        var source = Path.Combine(RepositoryPaths.Root, "examples", "WordCount", "python");
        using var wheel = new MemoryStream();
        using (var archive = new ZipArchive(wheel, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, "example_jobs"), "*.py"))
            {
                archive.CreateEntryFromFile(file, "example_jobs/" + Path.GetFileName(file));
            }

            await using var metadata = new StreamWriter(archive.CreateEntry("word_count-1.0.dist-info/METADATA").Open());
            await metadata.WriteAsync("Metadata-Version: 2.1\nName: word-count\nVersion: 1.0\n");
        }

        using var response = await client.SendAsync(HttpMethod.Post, $"/binaries/{name}",
            SparkDaemon.Binary(wheel.ToArray(), "application/python-wheel"));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
