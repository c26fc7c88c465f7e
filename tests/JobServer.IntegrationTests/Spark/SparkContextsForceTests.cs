using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;
using static JobServer.IntegrationTests.Spark.SparkContextsClient;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>DELETE /contexts/&lt;name&gt;?force=true</c> and <c>PUT /contexts?reset=reboot&amp;sync=false</c> (reference
/// §1.4) on a daemon whose abort grace is ten minutes: a graceful stop of a job that ignores its abort would take
/// that long, so an answer that comes first shows that force kills at once and that sync=false does not wait.
/// </summary>
public sealed class SparkContextsForceTests : IAsyncLifetime
{
    private Daemon _daemon = null!;

    private RestClient Root => new(_daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

    public async Task InitializeAsync() => _daemon = await Daemon.StartAsync(["--JobServer:Jobs:AbortGraceSeconds=600"]);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task DeleteWithForce_KillsTheProcessAtOnce_AndAJobThatIgnoresItsAbortEndsKilled()
    {
        using var root = Root;
        await UploadTestJobsAsync(root);
        await CreatedAsync(root, "ctx-force");
        var (_, started) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}IgnoresAbortJob&context=ctx-force");
        await WaitForRunningJobsAsync(root, "ctx-force", running: 1);

        var (status, stopped) = await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-force?force=true");
        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);
        var (gone, _) = await root.GetAsync("/contexts/ctx-force");

        // Without force the stop waits for the job's 10-minute grace, so the answer would be 202 (ContextStopWait).
        status.Should().Be(HttpStatusCode.OK);
        stopped.GetRawText().Should().Be("""{"status":"SUCCESS","result":"Context stopped"}""");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        gone.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("DELETE", "/contexts/ctx-flag?force=yes", "force")]
    [InlineData("PUT", "/contexts?reset=reboot&sync=maybe", "sync")]
    public async Task AMalformedFlag_Is400_AndNothingChanges(string method, string path, string flag)
    {
        using var root = Root;
        var before = await CreatedAsync(root, "ctx-flag");

        var (status, body) = await root.CallAsync(new HttpMethod(method), path);
        var (_, after) = await root.GetAsync("/contexts/ctx-flag");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-flag");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetRawText().Should().Be($$"""{"status":"ERROR","result":"The query parameter '{{flag}}' was malformed (true or false)"}""");
        after.GetProperty("id").GetString().Should().Be(before.GetProperty("id").GetString());
        after.GetProperty("state").GetString().Should().Be("RUNNING");
    }

    [Fact]
    public async Task PutResetRebootWithSyncFalse_AnswersAtOnce_AndRebootsInTheBackground()
    {
        using var root = Root;
        await UploadTestJobsAsync(root);
        var before = await CreatedAsync(root, "ctx-later", "max-jobs=2");
        var (_, started) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}IgnoresAbortJob&context=ctx-later");
        var jobId = started.GetProperty("jobId").GetString()!;
        await WaitForRunningJobsAsync(root, "ctx-later", running: 1);

        var (status, body) = await root.CallAsync(HttpMethod.Put, "/contexts?reset=reboot&sync=false");
        var (_, whileRebooting) = await root.GetAsync($"/jobs/{jobId}");
        // The reboot's stop waits for the job's grace; force ends that wait, and the reboot goes on by itself.
        await WaitForAsync(root, "ctx-later", (code, info) => code == HttpStatusCode.OK &&
            info.GetProperty("state").GetString() == "STOPPING");
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-later?force=true");
        var ended = await WaitForEndAsync(root, jobId);
        var (_, after) = await WaitForAsync(root, "ctx-later", (code, info) => code == HttpStatusCode.OK &&
            info.GetProperty("id").GetString() != before.GetProperty("id").GetString());
        await root.CallAsync(HttpMethod.Delete, "/contexts/ctx-later");

        status.Should().Be(HttpStatusCode.OK);
        body.GetRawText().Should().Be("""{"status":"SUCCESS","result":"Context reset requested"}""");
        whileRebooting.GetProperty("status").GetString().Should().Be("RUNNING");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        after.GetProperty("state").GetString().Should().Be("RUNNING");
        after.GetProperty("max-jobs").GetInt32().Should().Be(2);
        after.GetProperty("pid").GetInt32().Should().NotBe(before.GetProperty("pid").GetInt32());
    }
}
