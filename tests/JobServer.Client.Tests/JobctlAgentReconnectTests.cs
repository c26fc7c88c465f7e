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

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);
}
