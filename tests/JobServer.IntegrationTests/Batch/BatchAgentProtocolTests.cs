using System.Net;
using JobServer.IntegrationTests.Accounts;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>
/// The agent side of issue 16 with plain DDP connections as agents: the BATCH_AGENT limit, registration, delivery
/// one task at a time per destination, acknowledgement, progress, results, and redelivery after a reconnect.
/// </summary>
public sealed class BatchAgentProtocolTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task AgentKey_CallsOnlyAgentMethods_AndAdminsCannotRegister()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "limit-check");
        await using var agent = await AgentSockets.SignInAsync(Daemon, key);
        await using var root = await Daemon.ConnectAsRootAsync();

        (await agent.CallErrorAsync("core.get_jobs")).Errno().Should().Be(13);
        (await agent.CallErrorAsync("batch.job_query")).Errno().Should().Be(13);
        (await agent.CallErrorAsync("auth.me")).Errno().Should().Be(13);
        (await agent.CallErrorAsync("core.subscribe", "*")).Errno().Should().Be(13);
        (await root.CallErrorAsync("batch.agent.register", "limit-dev")).Errno().Should().Be(13,
            "FULL_ADMIN does not grant the agent methods: an admin cannot pose as a device");
        (await root.CallErrorAsync("api_key.create", new { name = "mixed", roles = new[] { "BATCH_AGENT", "READONLY_ADMIN" } }))
            .GetProperty("extra")[0][0].GetString().Should().Be("api_key_create.roles");
        (await root.CallErrorAsync("user.create", new { username = "agent-user", password = "x", roles = new[] { "BATCH_AGENT" } }))
            .GetProperty("type").GetString().Should().Be("VALIDATION");
        using var http = new HttpClient { BaseAddress = Daemon.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        (await http.GetAsync("/batch/jobs")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Task_IsPushedToItsAgent_AckedProgressedAnswered_AndTheJobResolves()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "happy");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "happy-dev");
        using var client = BatchClient.AsRoot(Daemon);
        var jobId = (await client.CreateAsync(BatchClient.Reboot(null, "happy-dev"))).GetProperty("id").GetInt64();

        var task = await agent.NextTaskAsync();
        task.GetProperty("method").GetString().Should().Be("post");
        task.GetProperty("resource").GetString().Should().Be("/system/reboot");
        task.GetProperty("__task").GetProperty("status").GetString().Should().Be("sent");
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();
        (await agent.CallResultAsync("batch.agent.progress", task.Id(), 50)).GetBoolean().Should().BeTrue();
        await client.TaskWhenAsync(task.Id(), t => t.GetProperty("progress").GetInt32() == 50);
        (await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 200, body = new { ok = true } }))
            .GetBoolean().Should().BeTrue();

        var job = await client.GetOkAsync($"/batch/jobs/{jobId}?collection=true");
        job.GetProperty("status").GetString().Should().Be("resolved");
        job.GetProperty("finishCount").GetInt32().Should().Be(1);
        var state = job.GetProperty("collection")[0].GetProperty("__task");
        state.GetProperty("status").GetString().Should().Be("resolved");
        state.GetProperty("result").GetProperty("status").GetInt32().Should().Be(200);
        state.GetProperty("result").GetProperty("body").GetProperty("ok").GetBoolean().Should().BeTrue();
        (await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 500 })).GetBoolean()
            .Should().BeFalse("a finished task takes no second answer");
    }

    [Fact]
    public async Task NonSuccessStatus_RejectsTheTask_WithStatusAndBody()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "sad");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "sad-dev");
        using var client = BatchClient.AsRoot(Daemon);
        var jobId = (await client.CreateAsync(BatchClient.Reboot(null, "sad-dev"))).GetProperty("id").GetInt64();
        var task = await agent.NextTaskAsync();

        (await agent.CallErrorAsync("batch.agent.result", task.Id(), new { status = 99 })).GetProperty("type").GetString()
            .Should().Be("VALIDATION");
        await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 503, body = new { message = "busy" } });

        var job = await client.GetOkAsync($"/batch/jobs/{jobId}?collection=true");
        job.GetProperty("status").GetString().Should().Be("rejected");
        job.GetProperty("errorCount").GetInt32().Should().Be(1);
        var result = job.GetProperty("collection")[0].GetProperty("__task").GetProperty("result");
        result.GetProperty("status").GetInt32().Should().Be(503);
        result.GetProperty("body").GetProperty("message").GetString().Should().Be("busy");
    }

    [Fact]
    public async Task OneDestination_GetsOneTaskAtATimeInOrder_OthersRunInParallel()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "order");
        await using var first = await AgentSockets.RegisterAsync(Daemon, key, "order-a");
        await using var second = await AgentSockets.RegisterAsync(Daemon, key, "order-b");
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(null, "order-a", "order-b"));
        var later = (await client.CreateAsync(BatchClient.Reboot(null, "order-a"))).GetProperty("collection")[0].GetInt64();

        var a1 = await first.NextTaskAsync();
        var b1 = await second.NextTaskAsync();
        b1.GetProperty("__destination").GetString().Should().Be("order-b", "destinations do not wait for each other");
        (await client.GetOkAsync($"/batch/tasks/{later}")).GetProperty("__task").GetProperty("status").GetString()
            .Should().Be("pending", "order-a's second task waits for its first");
        await first.CallResultAsync("batch.agent.result", a1.Id(), new { status = 204 });

        var a2 = await first.NextTaskAsync();
        a2.Id().Should().Be(later);
        a2.Id().Should().BeGreaterThan(a1.Id());
    }

    [Fact]
    public async Task SecondAgentForADestination_IsRefused_UntilTheFirstIsGone()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "twice");
        var firstAgent = await AgentSockets.RegisterAsync(Daemon, key, "twice-dev");
        await using var second = await AgentSockets.SignInAsync(Daemon, key);

        (await second.CallErrorAsync("batch.agent.register", "twice-dev")).Errno().Should().Be(16);
        (await firstAgent.CallErrorAsync("batch.agent.register", "twice-other")).Errno().Should().Be(22,
            "one connection is the agent of one destination");
        await firstAgent.DisposeAsync();

        (await RegisterWhenFreeAsync(second, "twice-dev")).Should().BeTrue();
    }

    [Fact]
    public async Task OfferedButUnacknowledgedTask_IsOfferedAgain_WhenTheAgentReconnects()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "again");
        var before = await AgentSockets.RegisterAsync(Daemon, key, "again-dev");
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(null, "again-dev"));
        var offered = await before.NextTaskAsync();
        await before.DisposeAsync();

        await using var after = await AgentSockets.SignInAsync(Daemon, key);
        (await RegisterWhenFreeAsync(after, "again-dev")).Should().BeTrue();
        var again = await after.NextTaskAsync();

        again.Id().Should().Be(offered.Id());
        (await after.CallResultAsync("batch.agent.ack", again.Id())).GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task AnotherDestinationsTask_ReadsAsMissing_AndUnregisteredCallsAreRefused()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "nosy");
        await using var owner = await AgentSockets.RegisterAsync(Daemon, key, "nosy-owner");
        await using var nosy = await AgentSockets.RegisterAsync(Daemon, key, "nosy-other");
        await using var unregistered = await AgentSockets.SignInAsync(Daemon, key);
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(null, "nosy-owner"));
        var task = await owner.NextTaskAsync();

        (await nosy.CallErrorAsync("batch.agent.result", task.Id(), new { status = 200 })).Errno().Should().Be(2);
        (await unregistered.CallErrorAsync("batch.agent.ack", task.Id())).Errno().Should().Be(22);
        await client.TaskWhenAsync(task.Id(), t => t.GetProperty("status").GetString() == "sent"); // Not answered.
    }

    [Fact]
    public async Task DeleteOfARunningJob_WithdrawsItsTaskFromTheAgent_DropsTheLateAnswer_AndTheNextTaskGoesOut()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "cancel");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "cancel-dev");
        using var client = BatchClient.AsRoot(Daemon);
        var jobId = (await client.CreateAsync(BatchClient.Reboot(null, "cancel-dev"))).GetProperty("id").GetInt64();
        var next = (await client.CreateAsync(BatchClient.Reboot(null, "cancel-dev"))).GetProperty("collection")[0].GetInt64();
        var task = await agent.NextTaskAsync();
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();

        var (status, canceled) = await client.SendAsync(HttpMethod.Delete, $"/batch/jobs/{jobId}");

        status.Should().Be(HttpStatusCode.OK);
        canceled.GetProperty("status").GetString().Should().Be("rejected");
        (await agent.WithdrawnTaskAsync()).Should().Be(task.Id(), "the agent is told to stop before its next task");
        (await agent.NextTaskAsync()).Id().Should().Be(next, "the destination is free once its task is canceled");
        (await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 200 })).GetBoolean()
            .Should().BeFalse("a canceled task takes no answer");
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeFalse();
        (await client.GetOkAsync($"/batch/tasks/{task.Id()}")).GetProperty("__task").GetProperty("status").GetString()
            .Should().Be("canceled");
    }

    [Fact]
    public async Task TimedOutTask_IsWithdrawnFromItsAgent()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "late");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "late-dev");
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(1, "late-dev"));
        var task = await agent.NextTaskAsync();
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();

        (await agent.WithdrawnTaskAsync()).Should().Be(task.Id(), "the job's 1 s timeout passed while the agent had it");

        (await client.GetOkAsync($"/batch/tasks/{task.Id()}")).GetProperty("__task").GetProperty("status").GetString()
            .Should().Be("timeout");
    }

    [Fact]
    public async Task Agents_AreListedForAdmins_WithTheTaskInFlight()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "listed");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "listed-dev");
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(null, "listed-dev"));
        var task = await agent.NextTaskAsync();
        const string user = "batch-agent-lister";
        await Daemon.ConnectAsAccountAsync(user);
        using var plain = new BatchClient(Daemon.BaseUri, user, TestAccounts.Password);

        var listed = (await client.GetOkAsync("/batch/agents")).EnumerateArray()
            .Single(a => a.GetProperty("id").GetString() == "listed-dev");

        listed.GetProperty("address").GetString().Should().Be("127.0.0.1");
        listed.GetProperty("since").GetString().Should().EndWith("Z");
        listed.GetProperty("inFlight").EnumerateArray().Select(i => i.GetInt64()).Should().Equal(task.Id());
        (await plain.SendAsync(HttpMethod.Get, "/batch/agents")).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// Registers once the daemon has noticed that the previous agent's connection closed (it ends the entry when
    /// the connection's teardown runs, a moment after the close); EBUSY until then.
    /// </summary>
    private static async Task<bool> RegisterWhenFreeAsync(DdpClient agent, string destination)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var answer = await agent.CallAsync("batch.agent.register", destination);
            if (!answer.TryGetProperty("error", out var error))
            {
                return answer.GetProperty("result").GetBoolean();
            }

            error.Errno().Should().Be(16);
            await Task.Delay(50);
        }

        return false;
    }

    [Fact]
    public async Task AuditLog_RecordsTheRegistration_AndRefusedTelemetry_ButNotEveryTasksAnswers()
    {
        var key = await AgentSockets.CreateAgentKeyAsync(Daemon, "audited");
        await using var agent = await AgentSockets.RegisterAsync(Daemon, key, "audited-dev");
        using var client = BatchClient.AsRoot(Daemon);
        await client.CreateAsync(BatchClient.Reboot(null, "audited-dev"));
        var task = await agent.NextTaskAsync();
        await agent.CallResultAsync("batch.agent.ack", task.Id());
        await agent.CallResultAsync("batch.agent.progress", task.Id(), 50);
        await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 200 });
        (await agent.CallErrorAsync("batch.agent.ack", long.MaxValue)).GetProperty("errname").GetString().Should().Be("ENOENT");
        await using var root = await Daemon.ConnectAsRootAsync();
        object[] telemetry = ["method", "in", new[] { "batch.agent.ack", "batch.agent.progress", "batch.agent.result" }];

        // The refused ack was recorded after everything above, so once it is stored the others would be too.
        var refused = await WaitForAuditAsync(root, [telemetry, new object[] { "success", "=", false }],
            events => events.EnumerateArray().Any(e => e.GetProperty("arguments").GetString()!.Contains(
                long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var registered = await WaitForAuditAsync(root, [new object[] { "method", "=", "batch.agent.register" }],
            events => events.EnumerateArray().Any(e => e.GetProperty("arguments").GetString()!.Contains("audited-dev", StringComparison.Ordinal)));

        refused.GetArrayLength().Should().BePositive();
        registered.EnumerateArray().Should().Contain(e => e.GetProperty("success").GetBoolean());
        (await root.CallResultAsync("audit.query", (object)new object[] { telemetry, new object[] { "success", "=", true } }))
            .GetArrayLength().Should().Be(0, "a task's ack, progress and result are telemetry, not security events");
    }

    private static async Task<System.Text.Json.JsonElement> WaitForAuditAsync(DdpClient root, object[] filters,
        Func<System.Text.Json.JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var events = await root.CallResultAsync("audit.query", (object)filters);
            if (done(events))
            {
                return events;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
