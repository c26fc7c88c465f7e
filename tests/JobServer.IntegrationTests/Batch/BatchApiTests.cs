using System.Net;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>The batch-job API of issue 16 over real HTTP: shapes, validation, paging, cancel, ownership.</summary>
public sealed class BatchApiTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private static readonly string[] Devices = ["00:0c:29:1c:e8:01", "00:0c:29:1c:e8:02", "00:0c:29:1c:e8:03"];

    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Post_RebootThreeDevices_AnswersTheJobWithOneTaskPerDestination()
    {
        using var client = BatchClient.AsRoot(Daemon);

        var job = await client.CreateAsync(BatchClient.Reboot(36000, Devices));

        job.GetProperty("id").GetInt64().Should().BePositive();
        job.GetProperty("status").GetString().Should().Be("pending");
        job.GetProperty("timeout").GetInt64().Should().Be(36000);
        job.GetProperty("finishAt").ValueKind.Should().Be(JsonValueKind.Null);
        job.GetProperty("createdAt").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        job.GetProperty("progress").GetInt32().Should().Be(0);
        job.GetProperty("totalCount").GetInt32().Should().Be(3);
        job.GetProperty("finishCount").GetInt32().Should().Be(0);
        job.GetProperty("errorCount").GetInt32().Should().Be(0);
        var ids = job.GetProperty("collection").EnumerateArray().Select(i => i.GetInt64()).ToArray();
        ids.Should().HaveCount(3).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Get_WithCollection_EmbedsTheTaskObjectsOfTheSeed()
    {
        using var client = BatchClient.AsRoot(Daemon);
        var id = (await client.CreateAsync(BatchClient.Reboot(null, Devices))).GetProperty("id").GetInt64();

        var job = await client.GetOkAsync($"/batch/jobs/{id}?collection=true");

        job.GetProperty("timeout").ValueKind.Should().Be(JsonValueKind.Null, "no timeout is the seed's infinity");
        var tasks = job.GetProperty("collection").EnumerateArray().ToArray();
        tasks.Select(t => t.GetProperty("__destination").GetString()).Should().Equal(Devices);
        foreach (var task in tasks)
        {
            task.GetProperty("method").GetString().Should().Be("post");
            task.GetProperty("resource").GetString().Should().Be("/system/reboot");
            task.GetProperty("data").ValueKind.Should().Be(JsonValueKind.Object);
            var state = task.GetProperty("__task");
            state.GetProperty("status").GetString().Should().Be("pending");
            state.GetProperty("progress").GetInt32().Should().Be(0);
            state.GetProperty("finishAt").ValueKind.Should().Be(JsonValueKind.Null);
        }

        var one = await client.GetOkAsync($"/batch/tasks/{tasks[1].GetProperty("id").GetInt64()}");
        one.GetProperty("__destination").GetString().Should().Be(Devices[1]);
        (await client.SendAsync(HttpMethod.Get, "/batch/tasks/999999")).Status.Should().Be(HttpStatusCode.NotFound);
        (await client.SendAsync(HttpMethod.Get, "/batch/jobs/999999")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{}", "batch")]
    [InlineData("""{"batch":[]}""", "batch")]
    [InlineData("""{"batch":[{"method":"PATCH","resource":"/a","__destination":"d1"}]}""", "batch[0].method")]
    [InlineData("""{"batch":[{"method":"GET","__destination":"d1"}]}""", "batch[0].resource")]
    [InlineData("""{"batch":[{"method":"GET","resource":"/a"}]}""", "batch[0].__destination")]
    [InlineData("""{"batch":[{"method":"GET","resource":"/a","__destination":[]}]}""", "batch[0].__destination")]
    [InlineData("""{"timeout":-1,"batch":[{"method":"GET","resource":"/a","__destination":"d1"}]}""", "timeout")]
    [InlineData("not json", "body")]
    [InlineData("[1]", "batch")]
    [InlineData("""{"batch":["\ud800"]}""", "body")]
    [InlineData("""{"batch":[{"method":"GET","resource":"/a","__destination":"d1"}],"batch":[]}""", "body")]
    public async Task Post_BadBody_Answers400NamingTheField_AndCreatesNothing(string body, string field)
    {
        const string user = "batch-bad-bodies";
        await Daemon.ConnectAsAccountAsync(user);
        using var client = new BatchClient(Daemon.BaseUri, user, TestAccounts.Password);

        var (status, error) = await client.SendAsync(HttpMethod.Post, "/batch/jobs", body);

        status.Should().Be(HttpStatusCode.BadRequest, error.ToString());
        error.GetProperty("field").GetString().Should().Be(field, error.ToString());
        error.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        (await client.GetOkAsync("/batch/jobs")).GetArrayLength().Should().Be(0, "a refused body creates nothing");
    }

    [Fact]
    public async Task Delete_CancelsTheUnfinishedTasks_AndTheJobEndsRejected()
    {
        using var client = BatchClient.AsRoot(Daemon);
        var id = (await client.CreateAsync(BatchClient.Reboot(null, Devices))).GetProperty("id").GetInt64();

        var (status, job) = await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}");

        status.Should().Be(HttpStatusCode.OK, job.ToString());
        job.GetProperty("status").GetString().Should().Be("rejected");
        job.GetProperty("finishCount").GetInt32().Should().Be(3);
        job.GetProperty("errorCount").GetInt32().Should().Be(3);
        job.GetProperty("progress").GetInt32().Should().Be(100);
        job.GetProperty("finishAt").GetString().Should().NotBeNull();
        var stored = await client.GetOkAsync($"/batch/jobs/{id}?collection=true");
        stored.GetProperty("collection").EnumerateArray()
            .Select(t => t.GetProperty("__task").GetProperty("status").GetString()).Should().AllBe("canceled");
        var (again, same) = await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}");
        again.Should().Be(HttpStatusCode.OK, "cancelling a finished job is not an error");
        same.GetProperty("finishAt").GetString().Should().Be(job.GetProperty("finishAt").GetString());
    }

    [Fact]
    public async Task Query_IsPagedNewestFirst_AndFiltersByStatus()
    {
        const string user = "batch-pager";
        await Daemon.ConnectAsAccountAsync(user);
        using var client = new BatchClient(Daemon.BaseUri, user, TestAccounts.Password);
        var first = (await client.CreateAsync(BatchClient.Reboot(null, "p1"))).GetProperty("id").GetInt64();
        var second = (await client.CreateAsync(BatchClient.Reboot(null, "p2"))).GetProperty("id").GetInt64();
        var third = (await client.CreateAsync(BatchClient.Reboot(null, "p3"))).GetProperty("id").GetInt64();
        await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{second}");

        Ids(await client.GetOkAsync("/batch/jobs")).Should().Equal(third, second, first);
        Ids(await client.GetOkAsync("/batch/jobs?limit=2")).Should().Equal(third, second);
        Ids(await client.GetOkAsync("/batch/jobs?limit=2&offset=2")).Should().Equal(first);
        Ids(await client.GetOkAsync("/batch/jobs?status=rejected")).Should().Equal(second);
        Ids(await client.GetOkAsync("/batch/jobs?status=pending")).Should().Equal(third, first);
        var (status, error) = await client.SendAsync(HttpMethod.Get, "/batch/jobs?status=finished");
        status.Should().Be(HttpStatusCode.BadRequest);
        error.GetProperty("field").GetString().Should().Be("status");
    }

    [Fact]
    public async Task PlainUsers_SeeAndCancelOnlyTheirOwnJobs()
    {
        await Daemon.ConnectAsAccountAsync("batch-owner");
        await Daemon.ConnectAsAccountAsync("batch-other");
        using var owner = new BatchClient(Daemon.BaseUri, "batch-owner", TestAccounts.Password);
        using var other = new BatchClient(Daemon.BaseUri, "batch-other", TestAccounts.Password);
        using var root = BatchClient.AsRoot(Daemon);
        var job = await owner.CreateAsync(BatchClient.Reboot(null, "o1"));
        var id = job.GetProperty("id").GetInt64();
        var task = job.GetProperty("collection")[0].GetInt64();

        (await other.SendAsync(HttpMethod.Get, $"/batch/jobs/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await other.SendAsync(HttpMethod.Get, $"/batch/tasks/{task}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await other.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
        Ids(await other.GetOkAsync("/batch/jobs")).Should().NotContain(id);
        Ids(await root.GetOkAsync("/batch/jobs")).Should().Contain(id, "admins see every job");
        (await owner.GetOkAsync($"/batch/jobs/{id}")).GetProperty("status").GetString().Should().Be("pending");
    }

    [Fact]
    public async Task EveryRoute_WithoutOrWithWrongCredentials_IsRefused()
    {
        using var anonymous = Transfer.Client(Daemon.BaseUri);
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Post, "/batch/jobs"), (HttpMethod.Get, "/batch/jobs"), (HttpMethod.Get, "/batch/jobs/1"),
                     (HttpMethod.Delete, "/batch/jobs/1"), (HttpMethod.Get, "/batch/tasks/1"), (HttpMethod.Get, "/batch/jobs/1/ws"),
                 })
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(method, path));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {path}");
        }

        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/batch/jobs");
        wrongKey.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "1-not-a-key");
        (await anonymous.SendAsync(wrongKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Socket_PushesTheJob_ThenEveryChange_AndClosesAfterTheFinalOne()
    {
        using var client = BatchClient.AsRoot(Daemon);
        var id = (await client.CreateAsync(BatchClient.Reboot(null, Devices))).GetProperty("id").GetInt64();
        await using var ddp = await Daemon.ConnectAsRootAsync();
        var token = (await ddp.CallResultAsync("auth.generate_token")).GetString()!;
        using var socket = await BatchClient.WatchAsync(Daemon.BaseUri, id, token);

        var current = await BatchClient.ReceiveAsync(socket);
        current!.Value.GetProperty("status").GetString().Should().Be("pending");
        await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}");
        var final = await BatchClient.ReceiveAsync(socket);
        final!.Value.GetProperty("status").GetString().Should().Be("rejected");
        final.Value.GetProperty("finishCount").GetInt32().Should().Be(3);
        (await BatchClient.ReceiveAsync(socket)).Should().BeNull("the socket closes after the final object");
    }

    [Fact]
    public async Task Timeout_TimesOutEveryUnfinishedTask()
    {
        using var client = BatchClient.AsRoot(Daemon);
        var id = (await client.CreateAsync(BatchClient.Reboot(1, "offline-1", "offline-2"))).GetProperty("id").GetInt64();
        await using var ddp = await Daemon.ConnectAsRootAsync();
        var token = (await ddp.CallResultAsync("auth.generate_token")).GetString()!;
        using var socket = await BatchClient.WatchAsync(Daemon.BaseUri, id, token);

        JsonElement? last = null;
        while (await BatchClient.ReceiveAsync(socket) is { } job)
        {
            last = job;
        }

        last!.Value.GetProperty("status").GetString().Should().Be("rejected");
        last.Value.GetProperty("errorCount").GetInt32().Should().Be(2);
        var stored = await client.GetOkAsync($"/batch/jobs/{id}?collection=true");
        stored.GetProperty("collection").EnumerateArray()
            .Select(t => t.GetProperty("__task").GetProperty("status").GetString()).Should().AllBe("timeout");
    }

    private static long[] Ids(JsonElement jobs) => jobs.EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).ToArray();
}
