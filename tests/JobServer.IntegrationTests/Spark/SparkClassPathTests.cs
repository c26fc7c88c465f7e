using System.IO.Compression;
using System.Net;
using System.Text;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// A job's class path (behaviour 15): <c>appName</c> with <c>dependent-jar-uris</c>, or <c>cp=a,b,c</c>, every
/// binary passed in order — the class is found in any of them, a dependency is in use while its job runs, and an
/// unknown name, a URI or a mix of runtimes is refused before any job exists.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkClassPathTests(SparkDaemon fixture)
{
    [Fact]
    public async Task TheClass_IsFoundInADependentBinary_ByDependentJarUrisOrByCp()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root, "cp-main");
        await UploadWordCountAsync(root, "cp-words");

        var (byDependent, dependent) = await PostAsync(root, $"appName=cp-main&classPath={WordCount}&sync=true&timeout=60",
            "dependent-jar-uris = [\"cp-words\"]\ninput.string = a b a");
        var (byCp, cp) = await PostAsync(root, $"cp=cp-main,cp-words&mainClass={WordCount}&sync=true&timeout=60",
            "input.string = c");

        byDependent.Should().Be(HttpStatusCode.OK, dependent.GetRawText());
        dependent.GetProperty("result").GetRawText().Should().Be("""{"a":2,"b":1}""");
        byCp.Should().Be(HttpStatusCode.OK, cp.GetRawText());
        cp.GetProperty("result").GetRawText().Should().Be("""{"c":1}""");
    }

    [Fact]
    public async Task AnUnknownDependency_Answers404_AndCreatesNoJob()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "cp-known");
        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, $"cp=cp-known,BinaryNotFound&mainClass={WordCount}", "input.string = a");

        status.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"appName BinaryNotFound not found"}""");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Theory]
    [InlineData("cp=cp-uri,file:///tmp/x.dll", "")]
    [InlineData("appName=cp-uri", "dependent-jar-uris = [\"http://example.com/a.jar\"]")]
    public async Task AUri_AnswersJobLoadingFailed_AndCreatesNoJob(string query, string body)
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "cp-uri");
        var before = await SparkJobCountAsync(root);

        var (status, answer) = await PostAsync(root, $"{query}&mainClass={WordCount}&classPath={WordCount}", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        answer.GetProperty("status").GetString().Should().Be("JOB LOADING FAILED");
        answer.GetProperty("result").GetProperty("message").GetString().Should().Contain("URIs are not supported");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Fact]
    public async Task BinariesOfTwoRuntimes_AnswerJobLoadingFailed_AndCreateNoJob()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "cp-dotnet");
        await UploadAsync(root, "cp-python", Wheel(("helper_lib/__init__.py", "")), "application/python-wheel");
        var before = await SparkJobCountAsync(root);

        var (status, body) = await PostAsync(root, $"cp=cp-dotnet,cp-python&mainClass={WordCount}", "input.string = a");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("JOB LOADING FAILED");
        body.GetProperty("result").GetProperty("message").GetString().Should().Be("cp-python (Wheel) cannot be on the class path of a .NET job");
        (await SparkJobCountAsync(root)).Should().Be(before);
    }

    [Fact]
    public async Task ADependencyOfARunningJob_IsInUse_UntilTheJobEnds()
    {
        using var root = fixture.Root;
        await UploadTestJobsAsync(root, "cp-runner");
        await UploadWordCountAsync(root, "cp-needed");
        var (_, started) = await PostAsync(root, "appName=cp-runner&classPath=JobServer.TestPlugin.Spark.WaitForKillJob",
            "dependent-jar-uris = \"cp-needed\"");
        var jobId = started.GetProperty("jobId").GetString()!;

        var (inUse, refusal) = await root.CallAsync(HttpMethod.Delete, "/binaries/cp-needed");
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{jobId}");
        await WaitForEndAsync(root, jobId);
        var (deleted, _) = await root.CallAsync(HttpMethod.Delete, "/binaries/cp-needed");

        inUse.Should().Be(HttpStatusCode.Forbidden);
        refusal.GetRawText().Should().Be($$"""{"status":"ERROR","result":"Binary is in use by job(s): {{jobId}}"}""");
        deleted.Should().Be(HttpStatusCode.OK);
    }

    [CommandFact("python3")]
    public async Task APythonJob_ImportsFromADependentWheel_OnSysPathAfterItsOwn()
    {
        using var root = fixture.Root;
        await UploadAsync(root, "py-helper", Wheel(
            ("helper_lib/__init__.py", ""),
            ("helper_lib/words.py", "def shout(word):\n    return word.upper()\n")), "application/python-wheel");
        await UploadAsync(root, "py-main", Wheel(
            ("main_jobs/__init__.py", ""),
            ("main_jobs/shout.py", """
                from helper_lib.words import shout


                class ShoutJob:
                    def validate(self, context, runtime, config):
                        return config.get("input.string").split()

                    def run_job(self, context, runtime, data):
                        return [shout(w) for w in data]
                """)), "application/python-wheel");

        var (status, body) = await PostAsync(root, "appName=py-main&classPath=main_jobs.shout.ShoutJob&sync=true&timeout=60",
            "dependent-jar-uris = [\"py-helper\"]\ninput.string = a b");

        status.Should().Be(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("result").GetRawText().Should().Be("""["A","B"]""");
    }

    /// <summary>A pure-Python wheel of the given files (and a minimal dist-info).</summary>
    private static byte[] Wheel(params (string Path, string Text)[] files)
    {
        using var wheel = new MemoryStream();
        using (var archive = new ZipArchive(wheel, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files.Append(("dist.dist-info/METADATA", "Metadata-Version: 2.1\nName: dist\nVersion: 1.0\n")))
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return wheel.ToArray();
    }
}
