using System.Globalization;
using System.Text.Json;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.JsonRpc;

public sealed class JsonRpcJobTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private static string Key() => Guid.NewGuid().ToString("N");

    private static string Raw(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonRpcClient> SubscribedAsync(JsonRpcClient client)
    {
        (await client.CallResultAsync("core.subscribe", "core.get_jobs")).GetString().Should().NotBeNullOrEmpty();
        return client;
    }

    /// <summary>The <c>params</c> of the next <c>collection_update</c> about jobs that matches.</summary>
    private static async Task<JsonElement> JobUpdateAsync(JsonRpcClient client, Func<JsonElement, bool> match) =>
        (await client.NotificationAsync("collection_update", p =>
            p.GetProperty("collection").GetString() == "core.get_jobs" && match(p))).GetProperty("params");

    [Fact]
    public async Task LegacyJobs_Default_AnswersTheJobId()
    {
        await using var client = await SubscribedAsync(await Daemon.ConnectJsonRpcAsRootAsync());

        var requestId = await client.SendRequestAsync("testjobs.echo", "v");
        var response = await client.ResponseAsync(Raw(requestId));
        var jobId = response.GetProperty("result").GetInt64();

        var added = await JobUpdateAsync(client, p => p.GetProperty("msg").GetString() == "added" &&
                                                      p.GetProperty("id").GetInt64() == jobId);
        added.GetProperty("fields").GetProperty("message_ids")[0].GetInt64().Should().Be(requestId);
    }

    [Fact]
    public async Task NewStyleJobs_SeedFlow_AddedThenProgressThenTheResult()
    {
        await using var client = await SubscribedAsync(await Daemon.ConnectJsonRpcAsRootAsync());
        var options = await client.CallResultAsync("core.set_options", new { legacy_jobs = false });
        options.GetProperty("legacy_jobs").GetBoolean().Should().BeFalse();
        var key = Key();

        var requestId = await client.SendRequestAsync("testjobs.progress", 4, key);

        var added = await JobUpdateAsync(client, p => p.GetProperty("msg").GetString() == "added" &&
            p.GetProperty("fields").GetProperty("message_ids")[0].GetInt64() == requestId);
        var jobId = added.GetProperty("id").GetInt64();
        var progress = await JobUpdateAsync(client, p => p.GetProperty("id").GetInt64() == jobId &&
            p.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString() == "step 4 of 4");
        progress.GetProperty("msg").GetString().Should().Be("changed");
        client.HasPending(m => JsonRpcClient.IsResponse(m)).Should().BeFalse("the answer waits for the job");

        await (await Daemon.ConnectAsRootAsync()).CallResultAsync("testjobs.release", key);
        var response = await client.ResponseAsync(Raw(requestId));
        response.GetProperty("result").GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task NewStyleJobs_FailuresAreErrorResponses_AbortIsNull()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        await client.CallResultAsync("core.set_options", new { legacy_jobs = false });

        var invalid = await client.CallErrorAsync("testjobs.invalid");
        invalid.GetProperty("code").GetInt32().Should().Be(-32602);
        invalid.GetProperty("data").GetProperty("extra")[0][0].GetString().Should().Be("testjobs_invalid.field");

        var failed = await client.CallErrorAsync("testjobs.fail", "nope");
        failed.GetProperty("code").GetInt32().Should().Be(-32001);
        failed.GetProperty("data").GetProperty("reason").GetString().Should().Be("[EINVAL] nope");

        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var requestId = await client.SendRequestAsync("testjobs.gate", Key());
        var running = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" &&
            m.GetProperty("fields").GetProperty("state").GetString() == "RUNNING" &&
            m.GetProperty("fields").GetProperty("message_ids")[0].ValueKind == JsonValueKind.Number &&
            m.GetProperty("fields").GetProperty("message_ids")[0].GetInt64() == requestId);
        await watcher.Client.CallResultAsync("core.job_abort", running.GetProperty("id").GetInt64());
        var aborted = await client.ResponseAsync(Raw(requestId));
        aborted.GetProperty("result").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task LockQueueSize_FoldsTheSameCallIntoItsJob_BothIdsRecordedAndBothAnswered()
    {
        await using var client = await SubscribedAsync(await Daemon.ConnectJsonRpcAsRootAsync());
        var (k1, k2, k3) = (Key(), Key(), Key());
        var running = (await client.CallResultAsync("testjobs.queued", k1)).GetInt64();
        (await client.CallResultAsync("testjobs.queued", k2)).GetInt64();
        var waiting = (await client.CallResultAsync("testjobs.queued", k3)).GetInt64();

        // Only the same call (same arguments, same owner) is folded since issue 12; another would be EBUSY.
        var foldedRequest = await client.SendRequestAsync("testjobs.queued", k3);
        (await client.ResponseAsync(Raw(foldedRequest))).GetProperty("result").GetInt64().Should().Be(waiting);

        var changed = await JobUpdateAsync(client, p => p.GetProperty("msg").GetString() == "changed" &&
            p.GetProperty("id").GetInt64() == waiting && p.GetProperty("fields").GetProperty("message_ids").GetArrayLength() == 2);
        changed.GetProperty("fields").GetProperty("message_ids")[1].GetInt64().Should().Be(foldedRequest);

        await using var ddp = await Daemon.ConnectAsRootAsync();
        foreach (var key in new[] { k1, k2, k3 })
        {
            await ddp.CallResultAsync("testjobs.release", key);
        }

        await JobUpdateAsync(client, p => p.GetProperty("id").GetInt64() == running &&
                                          p.GetProperty("fields").GetProperty("state").GetString() == "SUCCESS");
    }

    [Fact]
    public async Task DdpAndJsonRpcClients_WatchTheSameJob()
    {
        await using var rpc = await SubscribedAsync(await Daemon.ConnectJsonRpcAsRootAsync());
        await using var ddp = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();

        var jobId = (await ddp.Client.CallResultAsync("testjobs.gate", key)).GetInt64();
        await ddp.StateAsync(jobId, "RUNNING");
        await rpc.CallResultAsync("testjobs.release", key);

        var ddpDone = await ddp.StateAsync(jobId, "SUCCESS");
        var rpcDone = await JobUpdateAsync(rpc, p => p.GetProperty("id").GetInt64() == jobId &&
                                                     p.GetProperty("fields").GetProperty("state").GetString() == "SUCCESS");
        rpcDone.GetProperty("fields").GetRawText().Should().Be(ddpDone.GetRawText());
    }
}
