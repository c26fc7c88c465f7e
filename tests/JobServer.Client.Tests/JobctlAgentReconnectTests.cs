using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

/// <summary><c>jobctl agent</c> across a daemon restart: it reconnects with back-off, registers again, goes on.</summary>
public sealed class JobctlAgentReconnectTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("jobctl-agent-").FullName;

    [Fact]
    public async Task DaemonRestart_AgentReconnects_AndPerformsTheTaskPostedWhileItWasAway()
    {
        await using var daemon = await ClientDaemon.StartAsync();
        var key = await BatchAgents.CreateAgentKeyAsync(daemon, "reconnect");
        await using var device = FakeDevice.Start("reconnect");
        await using var agent = await BatchAgents.StartAgentAsync(daemon, key, "reconnect-dev", device, _stateDir);

        await daemon.RestartAsync();
        var jobId = await BatchAgents.RebootAsync(daemon, null, "reconnect-dev");
        var final = await BatchAgents.FinalAsync(daemon, jobId);

        final.GetProperty("status").GetString().Should().Be("resolved", agent.ToString());
        device.Requests.Should().HaveCount(1);
        agent.Stderr.Should().Contain("connection lost");
    }

    [Fact]
    public async Task DaemonRestartMidTask_TheAnswerIsRemembered_AndTheTaskCompletesOnce()
    {
        await using var daemon = await ClientDaemon.StartAsync();
        var key = await BatchAgents.CreateAgentKeyAsync(daemon, "mid-task");
        await using var device = FakeDevice.Start("mid-task");
        device.Hold();
        await using var agent = await BatchAgents.StartAgentAsync(daemon, key, "mid-task-dev", device, _stateDir);
        var jobId = await BatchAgents.RebootAsync(daemon, null, "mid-task-dev");
        await device.RequestsAsync(1);

        await daemon.RestartAsync();
        device.Release(); // The agent gets the answer while the daemon is away (or just back).
        var final = await BatchAgents.FinalAsync(daemon, jobId);

        final.GetProperty("status").GetString().Should().Be("resolved", agent.ToString());
        device.Requests.Should().HaveCount(1, "the task delivered again is answered from memory");
        // The agent prints its line after the daemon took the answer, so wait for it rather than read it now.
        await agent.WaitForOutputAsync("answered from memory");
    }

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);
}
