using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>Recovery reads the store's unfinished jobs: interrupted ones fail, waiting ones run again.</summary>
public sealed class JobManagerRecoveryTests
{
    [Fact]
    public async Task Recover_RunningJobFailsAsInterrupted_WaitingJobRunsWithItsCaller()
    {
        await using var engine = new EngineHarness(autoSucceed: true);
        engine.Store.Rows[1] = Row(1, "RUNNING");
        engine.Store.Rows[2] = Row(2, "WAITING");

        await engine.RecoverAsync();

        await engine.Bus.WaitForStateAsync(2, "SUCCESS");
        engine.Store.Rows[1].State.Should().Be("FAILED");
        engine.Store.Rows[1].Error.Should().Contain(JobManager.StoppedWhileRunning);
        engine.Runner.StartOrder.Should().Equal(2);
        engine.Store.Rows[2].Username.Should().Be("alice");
    }

    [Fact]
    public async Task Adopt_StoppedNodesRunningJobFailsNamingTheNode_AndIsAnnounced_WaitingJobRunsHere()
    {
        await using var engine = new EngineHarness(autoSucceed: true);
        var running = Row(7, "RUNNING");
        var waiting = Row(8, "WAITING");
        engine.Store.Rows[7] = running;
        engine.Store.Rows[8] = waiting;

        await engine.AdoptAsync("node-a", [running, waiting]);

        await engine.Bus.WaitForStateAsync(8, "SUCCESS");
        engine.Store.Rows[7].State.Should().Be("FAILED");
        engine.Store.Rows[7].Error.Should().Be("[EFAULT] node node-a stopped while the job was running");
        engine.Bus.StatesOf(7).Should().Equal("Changed:FAILED");
        engine.Runner.StartOrder.Should().Equal(8);
    }

    private static JobRecord Row(long id, string state) => new()
    {
        Id = id,
        Method = "enginetest.free",
        State = state,
        Username = "alice",
        CallerRoles = "FULL_ADMIN",
        PendingArgumentsJson = state == "WAITING" ? "[]" : null,
    };
}
