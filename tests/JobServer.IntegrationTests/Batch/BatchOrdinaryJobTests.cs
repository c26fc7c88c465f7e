using System.Net;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>
/// A batch job is also an ordinary job (issue 16): its <c>batch.run</c> job appears in <c>core.get_jobs</c>, its
/// events reach DDP subscribers, and aborting it there is DELETE (and DELETE aborts it).
/// </summary>
public sealed class BatchOrdinaryJobTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task ResolvedBatch_IsASucceededJob_WhoseEventsCarryItsProgress()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "ordinary-agent");
        await using var first = await AgentSockets.RegisterAsync(Daemon, key, "ord-1");
        await using var second = await AgentSockets.RegisterAsync(Daemon, key, "ord-2");
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var client = BatchClient.AsRoot(Daemon);

        var batch = (await client.CreateAsync(BatchClient.Reboot(null, "ord-1", "ord-2"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);

        await AnswerAsync(first, 200);
        (await events.Client.ReceiveAsync(m => IsChangeOf(m, job) &&
                m.GetProperty("fields").GetProperty("progress").GetProperty("percent").GetInt32() == 50))
            .GetProperty("fields").GetProperty("progress").GetProperty("description").GetString()
            .Should().Be("1 of 2 task(s) finished");
        await AnswerAsync(second, 200);
        var done = await events.StateAsync(job, "SUCCESS");
        done.GetProperty("result").GetProperty("status").GetString().Should().Be("resolved");
        done.GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(100);
    }

    [Fact]
    public async Task RejectedBatch_IsAFailedJob_WithAClearError()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "ordinary-rejecting");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "ord-bad");
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var client = BatchClient.AsRoot(Daemon);

        var batch = (await client.CreateAsync(BatchClient.Reboot(null, "ord-bad"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);
        await AnswerAsync(agent, 500);

        var failed = await events.StateAsync(job, "FAILED");
        failed.GetProperty("error").GetString().Should().Contain($"Batch job {batch} ended rejected");
    }

    [Fact]
    public async Task CoreJobAbort_CancelsTheBatchJob()
    {
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var client = BatchClient.AsRoot(Daemon);
        var batch = (await client.CreateAsync(BatchClient.Reboot(null, "ord-offline-1"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);
        await events.StateAsync(job, "RUNNING");

        await events.Client.CallResultAsync("core.job_abort", job);

        await events.StateAsync(job, "ABORTED");
        var settled = await client.GetOkAsync($"/batch/jobs/{batch}?collection=true");
        settled.GetProperty("status").GetString().Should().Be("rejected");
        settled.GetProperty("collection")[0].GetProperty("__task").GetProperty("status").GetString().Should().Be("canceled");
    }

    [Fact]
    public async Task CoreJobAbort_WithdrawsTheTaskInFlightFromItsAgent()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "ord-abort");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "ord-abort-dev");
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var client = BatchClient.AsRoot(Daemon);
        var batch = (await client.CreateAsync(BatchClient.Reboot(null, "ord-abort-dev"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);
        var task = await agent.NextTaskAsync();
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();

        await events.Client.CallResultAsync("core.job_abort", job);

        (await agent.WithdrawnTaskAsync()).Should().Be(task.Id());
        await events.StateAsync(job, "ABORTED");
        (await client.GetOkAsync($"/batch/tasks/{task.Id()}")).GetProperty("__task").GetProperty("status").GetString()
            .Should().Be("canceled");
    }

    [Fact]
    public async Task Delete_AbortsTheJob()
    {
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var client = BatchClient.AsRoot(Daemon);
        var batch = (await client.CreateAsync(BatchClient.Reboot(null, "ord-offline-2"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);

        (await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{batch}")).Status.Should().Be(HttpStatusCode.OK);

        (await events.StateAsync(job, "ABORTED")).GetProperty("error").GetString()
            .Should().Contain($"Batch job {batch} was canceled");
    }

    [Fact]
    public async Task PlainUsers_SeeOnlyTheirOwnBatchJobs_AndABadBodyCreatesNoJob()
    {
        await using var events = await JobEvents.SubscribeAsync(await Daemon.ConnectAsAccountAsync("ordinary-owner"));
        await using var other = await Daemon.ConnectAsAccountAsync("ordinary-other");
        using var owner = new BatchClient(Daemon.BaseUri, "ordinary-owner", TestAccounts.Password);

        var batch = (await owner.CreateAsync(BatchClient.Reboot(null, "ord-offline-3"))).GetProperty("id").GetInt64();
        var job = await RunJobAsync(events, batch);

        (await events.Client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", job } }))
            .GetArrayLength().Should().Be(1);
        (await other.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", job } }))
            .GetArrayLength().Should().Be(0, "a plain user sees only their own jobs");

        var before = await CountRunJobsAsync(events.Client);
        (await owner.SendAsync(HttpMethod.Post, "/batch/jobs", new { batch = new[] { new { method = "reboot", resource = "/x", __destination = "d" } } }))
            .Status.Should().Be(HttpStatusCode.BadRequest);
        (await CountRunJobsAsync(events.Client)).Should().Be(before, "a call bound to fail creates no job");
        (await owner.SendAsync(HttpMethod.Delete, $"/batch/jobs/{batch}")).Status.Should().Be(HttpStatusCode.OK);
        await events.StateAsync(job, "ABORTED");
    }

    /// <summary>The id of the batch job's <c>batch.run</c> job, from its ADDED event.</summary>
    internal static async Task<long> RunJobAsync(JobEvents events, long batch)
    {
        var added = await events.Client.ReceiveAsync(m => m.Msg() == "added" &&
            m.GetProperty("collection").GetString() == "core.get_jobs" &&
            m.GetProperty("fields").GetProperty("method").GetString() == "batch.run" &&
            m.GetProperty("fields").GetProperty("arguments")[0].GetInt64() == batch);
        return added.GetProperty("id").GetInt64();
    }

    private static bool IsChangeOf(JsonElement message, long job) =>
        message.Msg() == "changed" && message.GetProperty("collection").GetString() == "core.get_jobs" &&
        message.GetProperty("id").GetInt64() == job;

    private static async Task AnswerAsync(DdpClient agent, int status)
    {
        var task = await agent.NextTaskAsync();
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();
        (await agent.CallResultAsync("batch.agent.result", task.Id(), new { status })).GetBoolean().Should().BeTrue();
    }

    private static async Task<int> CountRunJobsAsync(DdpClient client) =>
        (await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "method", "=", "batch.run" } }))
        .GetArrayLength();
}
