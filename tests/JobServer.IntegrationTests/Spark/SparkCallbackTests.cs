using System.Net;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>callbackUrl</c> (reference §1.3): the payloads a real receiver sees, retries through failures delivering
/// exactly once (also across a restart), the attempts on the job's report, and the SSRF guard's refusals.
/// </summary>
public sealed class SparkCallbackTests : IAsyncLifetime
{
    private const string AllowLoopback = "--JobServer:Spark:CallbackAllowedHosts:0=127.0.0.1";

    private Daemon _daemon = null!;

    public async Task InitializeAsync() =>
        _daemon = await Daemon.StartAsync([AllowLoopback, "--JobServer:Spark:CallbackBaseDelay=00:00:00.050"]);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AFinishedJob_PostsItsJobIdAndResult_AndTheReportShowsTheDelivery()
    {
        await using var receiver = new CallbackReceiver();
        using var root = Root(_daemon);
        await UploadWordCountAsync(root);

        var (status, started) = await PostAsync(root, $"appName=test&classPath={WordCount}&callbackUrl={Uri.EscapeDataString(receiver.Url)}",
            "input.string = a b c a b see");
        var (body, _) = await receiver.NextAsync();
        var jobId = started.GetProperty("jobId").GetString()!;
        var report = await WaitForCallbackAsync(root, jobId, c => c.GetProperty("delivered").GetBoolean());

        status.Should().Be(HttpStatusCode.Accepted);
        body.GetRawText().Should().Be($$$"""{"jobId":"{{{jobId}}}","result":{"a":2,"b":2,"c":1,"see":1}}""");
        report.GetProperty("url").GetString().Should().Be(receiver.Url);
        report.GetProperty("attempts").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task AFailedSyncJob_PostsTheErrorForm()
    {
        await using var receiver = new CallbackReceiver();
        using var root = Root(_daemon);
        await UploadTestJobsAsync(root);

        var (_, answer) = await PostAsync(root,
            $"appName=testjobs&classPath=JobServer.TestPlugin.Spark.FailingJob&sync=true&timeout=60&callbackUrl={Uri.EscapeDataString(receiver.Url)}");
        var (body, _) = await receiver.NextAsync();

        Keys(body).Should().Equal("jobId", "result", "status");
        body.GetProperty("jobId").GetString().Should().Be(answer.GetProperty("jobId").GetString());
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetProperty("message").GetString().Should().Be("test-error");
        Keys(body.GetProperty("result")).Should().Equal("errorClass", "message", "stack");
    }

    [Fact]
    public async Task AReceiverThatFailsTwice_GetsThePayloadExactlyOnce()
    {
        await using var receiver = new CallbackReceiver(failures: 2);
        using var root = Root(_daemon);
        await UploadWordCountAsync(root);

        var (_, started) = await PostAsync(root, $"appName=test&classPath={WordCount}&callbackUrl={Uri.EscapeDataString(receiver.Url)}",
            "input.string = a");
        var jobId = started.GetProperty("jobId").GetString()!;
        var statuses = new[] { (await receiver.NextAsync()).Status, (await receiver.NextAsync()).Status, (await receiver.NextAsync()).Status };
        var report = await WaitForCallbackAsync(root, jobId, c => c.GetProperty("delivered").GetBoolean());

        statuses.Should().Equal(500, 500, 200);
        report.GetProperty("attempts").GetInt32().Should().Be(3);
        receiver.Unread.Should().Be(0);
    }

    [Fact]
    public async Task AKilledJob_PostsNothing()
    {
        await using var receiver = new CallbackReceiver();
        using var root = Root(_daemon);
        await UploadTestJobsAsync(root);
        await UploadWordCountAsync(root);
        var callback = Uri.EscapeDataString(receiver.Url);
        var (_, killed) = await PostAsync(root, $"appName=testjobs&classPath=JobServer.TestPlugin.Spark.WaitForKillJob&callbackUrl={callback}");
        var killedId = killed.GetProperty("jobId").GetString()!;
        await root.CallAsync(HttpMethod.Delete, $"/jobs/{killedId}");
        (await WaitForEndAsync(root, killedId)).GetProperty("status").GetString().Should().Be("KILLED");

        // A later job's callback is the first the receiver sees: the killed one sent none before it.
        var (_, later) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60&callbackUrl={callback}", "input.string = a");
        var (first, _) = await receiver.NextAsync();
        var (_, report) = await root.GetAsync($"/jobs/{killedId}");

        first.GetProperty("jobId").GetString().Should().Be(later.GetProperty("jobId").GetString());
        report.GetProperty("callback").GetProperty("attempts").GetInt32().Should().Be(0);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/x")]
    [InlineData("not a url")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost:1/x")]
    [InlineData("http://user:secret@127.0.0.1:1/x")]
    [InlineData("http://127.0.0.1:{daemon}/jobs")]
    public async Task ARefusedCallbackUrl_Answers400_AndCreatesNoJob(string url)
    {
        using var root = Root(_daemon);
        await UploadWordCountAsync(root);
        var (_, before) = await root.GetAsync("/jobs?limit=1000");
        url = url.Replace("{daemon}", _daemon.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var (status, body) = await PostAsync(root, $"appName=test&classPath={WordCount}&callbackUrl={Uri.EscapeDataString(url)}", "input.string = a");
        var (_, after) = await root.GetAsync("/jobs?limit=1000");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetString().Should().StartWith("callbackUrl");
        after.GetArrayLength().Should().Be(before.GetArrayLength());
    }

    [Fact]
    public async Task ARestartBetweenAttempts_StillDeliversExactlyOnce()
    {
        await using var receiver = new CallbackReceiver(failures: 2);
        var dataDir = Directory.CreateTempSubdirectory("jobserver-spark-callback").FullName;
        string jobId;
        // The first daemon waits an hour after the first failure: only the restarted one can make attempt 2.
        await using (var first = await Daemon.StartAsync([AllowLoopback, "--JobServer:Spark:CallbackBaseDelay=01:00:00"], dataDir: dataDir))
        {
            using var root = Root(first);
            await UploadWordCountAsync(root);
            var (_, started) = await PostAsync(root, $"appName=test&classPath={WordCount}&callbackUrl={Uri.EscapeDataString(receiver.Url)}",
                "input.string = a");
            jobId = started.GetProperty("jobId").GetString()!;
            (await receiver.NextAsync()).Status.Should().Be(500);
            await WaitForCallbackAsync(root, jobId, c => c.GetProperty("attempts").GetInt32() == 1);
            await first.StopAsync();
        }

        await using var second = await Daemon.StartAsync([AllowLoopback, "--JobServer:Spark:CallbackBaseDelay=00:00:00.050"], dataDir: dataDir);
        using var again = Root(second);
        var (retried, _) = await receiver.NextAsync();
        var (delivered, status) = await receiver.NextAsync();
        var report = await WaitForCallbackAsync(again, jobId, c => c.GetProperty("delivered").GetBoolean());

        retried.GetProperty("jobId").GetString().Should().Be(jobId);
        status.Should().Be(200);
        delivered.GetRawText().Should().Be($$$"""{"jobId":"{{{jobId}}}","result":{"a":1}}""");
        report.GetProperty("attempts").GetInt32().Should().Be(3);
        receiver.Unread.Should().Be(0);
        await second.StopAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    private static RestClient Root(Daemon daemon) => new(daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

    /// <summary>Polls <c>GET /jobs/&lt;id&gt;</c> until its <c>callback</c> satisfies <paramref name="done"/> (bounded).</summary>
    private static async Task<JsonElement> WaitForCallbackAsync(RestClient client, string jobId, Func<JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, report) = await client.GetAsync($"/jobs/{jobId}");
            if (report.TryGetProperty("callback", out var callback) && done(callback))
            {
                return callback;
            }

            DateTimeOffset.UtcNow.Should().BeBefore(deadline, $"the callback of {jobId} did not get there: {report}");
            await Task.Delay(50);
        }
    }
}
