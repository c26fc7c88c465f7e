using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;
using static JobServer.IntegrationTests.Spark.SparkContextsClient;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// A daemon with a context declared in its configuration and a short stop wait: the declared context exists at
/// start, and a stop held up by a job that ignores its abort answers 202 with <c>Location</c>, shows STOPPING and
/// refuses jobs with 409 (behaviours 18 and 28) until the abort grace has passed and the context is gone.
/// </summary>
public sealed class SparkContextsStopTests : IAsyncLifetime
{
    private Daemon _daemon = null!;

    private RestClient Root => new(_daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

    public async Task InitializeAsync() =>
        _daemon = await Daemon.StartAsync([
            "--JobServer:Spark:ContextStopWait=00:00:00.2", "--JobServer:Jobs:AbortGraceSeconds=1",
            "--JobServer:Spark:Contexts:declared:max-jobs=3", "--JobServer:Spark:Contexts:declared:queue-when-full=true",
        ]);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AContextDeclaredInConfiguration_ExistsAtStart_WithItsSettings()
    {
        using var root = Root;

        var (status, info) = await root.GetAsync("/contexts/declared");

        status.Should().Be(HttpStatusCode.OK);
        (await NamesAsync(root)).Should().Contain("declared");
        info.GetProperty("max-jobs").GetInt32().Should().Be(3);
        info.GetProperty("queue-when-full").GetBoolean().Should().BeTrue();
        info.GetProperty("state").GetString().Should().Be("RUNNING");
    }

    [Fact]
    public async Task AStopStillInProgress_Answers202WithLocation_ShowsStopping_AndRefusesJobsWith409()
    {
        using var root = Root;
        await UploadTestJobsAsync(root);
        await CreatedAsync(root, "ctx-slow");
        var (_, started) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}IgnoresAbortJob&context=ctx-slow");
        await WaitForRunningJobsAsync(root, "ctx-slow", running: 1);

        using var response = await root.SendAsync(HttpMethod.Delete, "/contexts/ctx-slow", content: null);
        var body = await response.Content.ReadAsStringAsync();
        var (_, stopping) = await root.GetAsync("/contexts/ctx-slow");
        var (refused, conflict) = await PostAsync(root, $"appName=testjobs&classPath={TestJobs}ProcessIdJob&context=ctx-slow");
        var ended = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);
        var (gone, _) = await WaitForAsync(root, "ctx-slow", (status, _) => status == HttpStatusCode.NotFound);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        body.Should().BeEmpty();
        response.Headers.Location!.OriginalString.Should().Be("/contexts/ctx-slow");
        stopping.GetProperty("state").GetString().Should().Be("STOPPING");
        refused.Should().Be(HttpStatusCode.Conflict);
        conflict.GetRawText().Should().Be("""{"status":"ERROR","result":"Context stop in progress"}""");
        ended.GetProperty("status").GetString().Should().Be("KILLED");
        gone.Should().Be(HttpStatusCode.NotFound);
    }
}
