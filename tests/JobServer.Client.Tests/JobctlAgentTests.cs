using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

/// <summary>
/// <c>jobctl agent</c> (issue 16) as real processes against fake device APIs: the seed's "reboot 3 devices", an
/// offline destination that times out, refused keys, and a task whose agent was killed mid-request.
/// </summary>
public sealed class JobctlAgentTests(CliDaemonFixture fixture) : IClassFixture<CliDaemonFixture>, IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("jobctl-agent-").FullName;

    private ClientDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task RebootThreeDevices_EachDeviceRebootsOnce_AndTheJobResolves()
    {
        var key = await BatchAgents.CreateAgentKeyAsync(Daemon, "reboot-three");
        string[] destinations = ["00:0c:29:1c:e8:01", "00:0c:29:1c:e8:02", "00:0c:29:1c:e8:03"];
        var devices = destinations.Select(FakeDevice.Start).ToArray();
        var agents = new List<Jobctl>();
        try
        {
            for (var i = 0; i < destinations.Length; i++)
            {
                agents.Add(await BatchAgents.StartAgentAsync(Daemon, key, destinations[i], devices[i], _stateDir));
            }

            var jobId = await BatchAgents.RebootAsync(Daemon, 36000, destinations);
            var final = await BatchAgents.FinalAsync(Daemon, jobId);

            final.GetProperty("status").GetString().Should().Be("resolved", final.ToString());
            final.GetProperty("finishCount").GetInt32().Should().Be(3);
            final.GetProperty("errorCount").GetInt32().Should().Be(0);
            final.GetProperty("progress").GetInt32().Should().Be(100);
            foreach (var device in devices)
            {
                device.Requests.Should().Equal($$"""POST /system/reboot {"delay":0}""");
            }

            var job = await BatchAgents.JobAsync(Daemon, jobId);
            var results = job.GetProperty("collection").EnumerateArray().Select(t => t.GetProperty("__task").GetProperty("result")).ToArray();
            results.Select(r => r.GetProperty("status").GetInt32()).Should().AllBeEquivalentTo(200);
            results.Select(r => r.GetProperty("body").GetProperty("device").GetString()).Should().Equal(destinations);
        }
        finally
        {
            await DisposeAllAsync(agents, devices);
        }
    }

    [Fact]
    public async Task OfflineDestination_TimesOut_AndTheJobIsPartial()
    {
        var key = await BatchAgents.CreateAgentKeyAsync(Daemon, "offline");
        var device = FakeDevice.Start("online");
        var agent = await BatchAgents.StartAgentAsync(Daemon, key, "offline-test-online", device, _stateDir);
        try
        {
            var jobId = await BatchAgents.RebootAsync(Daemon, 2, "offline-test-online", "offline-test-nobody");
            var final = await BatchAgents.FinalAsync(Daemon, jobId);

            final.GetProperty("status").GetString().Should().Be("partial", final.ToString());
            final.GetProperty("finishCount").GetInt32().Should().Be(2);
            final.GetProperty("errorCount").GetInt32().Should().Be(1);
            var job = await BatchAgents.JobAsync(Daemon, jobId);
            job.GetProperty("collection").EnumerateArray().Select(t => t.GetProperty("__task").GetProperty("status").GetString())
                .Should().Equal("resolved", "timeout");
            device.Requests.Should().HaveCount(1);
        }
        finally
        {
            await DisposeAllAsync([agent], [device]);
        }
    }

    [Fact]
    public async Task WrongKey_IsRefused_AndTheAgentExitsThree()
    {
        await using var device = FakeDevice.Start("wrong-key");

        await using var agent = BatchAgents.StartAgent(Daemon, "1-not-the-secret", "wrong-key-dev", device.Url, _stateDir);

        (await agent.WaitForExitAsync()).Should().Be(3, agent.ToString());
        agent.Stderr.Should().Contain("Sign-in refused");
    }

    [Fact]
    public async Task AdminKey_CannotRegister_AndAnAgentKeyCannotCallAnythingElse()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var adminKey = (await root.CallAsync<JsonElement>("api_key.create",
            [new System.Text.Json.Nodes.JsonObject { ["name"] = "admin-not-agent" }])).GetProperty("key").GetString()!;
        var agentKey = await BatchAgents.CreateAgentKeyAsync(Daemon, "agent-only");
        await using var device = FakeDevice.Start("admin-key");

        await using var admin = BatchAgents.StartAgent(Daemon, adminKey, "admin-key-dev", device.Url, _stateDir);
        await using var getJobs = await Jobctl.RunAsync(["-u", Daemon.Url.ToString(), "-K", agentKey, "call", "core.get_jobs"]);

        (await admin.WaitForExitAsync()).Should().Be(1, admin.ToString());
        admin.Stderr.Should().Contain("Not authorized");
        getJobs.ExitCode.Should().Be(1, getJobs.ToString());
        getJobs.Stderr.Should().Contain("EACCES");
    }

    [Fact]
    public async Task AgentKilledMidRequest_AndRestarted_NeverPerformsTheTaskTwice()
    {
        var key = await BatchAgents.CreateAgentKeyAsync(Daemon, "killed");
        await using var device = FakeDevice.Start("killed");
        device.Hold();
        var first = await BatchAgents.StartAgentAsync(Daemon, key, "killed-dev", device, _stateDir);
        var jobId = await BatchAgents.RebootAsync(Daemon, null, "killed-dev");
        await device.RequestsAsync(1);
        await first.DisposeAsync(); // Killed while the device is still answering.
        device.Release();

        await using var second = await BatchAgents.StartAgentAsync(Daemon, key, "killed-dev", device, _stateDir);
        var final = await BatchAgents.FinalAsync(Daemon, jobId);
        var next = await BatchAgents.RebootAsync(Daemon, null, "killed-dev");
        var nextFinal = await BatchAgents.FinalAsync(Daemon, next);

        device.Requests.Should().HaveCount(2, "the interrupted task is not repeated; the next job's is performed");
        final.GetProperty("status").GetString().Should().Be("rejected", "its answer was lost with the agent");
        var result = (await BatchAgents.JobAsync(Daemon, jobId)).GetProperty("collection")[0].GetProperty("__task").GetProperty("result");
        result.GetProperty("status").GetInt32().Should().Be(502);
        result.GetProperty("body").GetProperty("error").GetString().Should().Contain("not repeated");
        nextFinal.GetProperty("status").GetString().Should().Be("resolved");
    }

    [Fact]
    public async Task DeleteMidRequest_AbortsTheAgentsRequest_AndTheNextTaskIsPerformedAtOnce()
    {
        var key = await BatchAgents.CreateAgentKeyAsync(Daemon, "withdrawn");
        await using var device = FakeDevice.Start("withdrawn");
        device.Hold("/system/reboot");
        await using var agent = await BatchAgents.StartAgentAsync(Daemon, key, "withdrawn-dev", device, _stateDir);
        var jobId = await BatchAgents.PostAsync(Daemon, null, ["/system/reboot", "/system/never"], "withdrawn-dev");
        await device.RequestsAsync(1);
        var next = await BatchAgents.PostAsync(Daemon, null, ["/system/ping"], "withdrawn-dev");

        using var http = BatchAgents.Root(Daemon);
        using var deleted = await http.DeleteAsync($"/batch/jobs/{jobId}");
        deleted.IsSuccessStatusCode.Should().BeTrue();
        await agent.WaitForOutputAsync("withdrawn by the daemon");
        // The device still holds the reboot: the ping can only be performed because the agent aborted it.
        var nextFinal = await BatchAgents.FinalAsync(Daemon, next);

        nextFinal.GetProperty("status").GetString().Should().Be("resolved");
        device.Requests.Select(r => r.Split(' ')[1]).Should().Equal(["/system/reboot", "/system/ping"],
            "the canceled job's second task was never delivered");
        var canceled = await BatchAgents.JobAsync(Daemon, jobId);
        canceled.GetProperty("status").GetString().Should().Be("rejected");
        foreach (var task in canceled.GetProperty("collection").EnumerateArray())
        {
            task.GetProperty("__task").GetProperty("status").GetString().Should().Be("canceled");
            task.GetProperty("__task").GetProperty("result").ValueKind.Should().Be(JsonValueKind.Null,
                "a canceled task keeps no answer");
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<Jobctl> agents, IEnumerable<FakeDevice> devices)
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var device in devices)
        {
            await device.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);
}
