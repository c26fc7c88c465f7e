using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>
/// Jobs another node of a cluster runs (unfinished in the shared store, not active here): an abort is asked of
/// the peers with the caller's rights checked here; a wait ends when the job's relayed event says it ended.
/// </summary>
public sealed class JobManagerRemoteJobTests
{
    private static readonly JobCaller ReadonlyAdmin = new("s-ro", "ro", [Role.ReadonlyAdmin], null);

    [Fact]
    public async Task Abort_JobRunningOnAnotherNode_AskedOfThePeersWithTheCallersReason()
    {
        await using var engine = new EngineHarness();
        engine.Store.Rows[42] = Row(42, "RUNNING");

        await engine.Manager.AbortAsync(42, EngineHarness.Root);

        engine.Peers.Aborts.Should().Equal((42L, "Aborted by root"));
    }

    [Fact]
    public async Task Abort_JobOnAnotherNode_ByAReadonlyAdmin_EpermAndNothingAsked()
    {
        await using var engine = new EngineHarness();
        engine.Store.Rows[42] = Row(42, "WAITING");

        var abort = () => engine.Manager.AbortAsync(42, ReadonlyAdmin);

        (await abort.Should().ThrowAsync<CallError>()).Which.Errno.Should().Be(Errno.EPERM);
        engine.Peers.Aborts.Should().BeEmpty();
    }

    [Fact]
    public async Task Abort_FinishedJobOfAnotherNode_NothingAsked_UnknownIdStillNotFound()
    {
        await using var engine = new EngineHarness();
        engine.Store.Rows[42] = Row(42, "SUCCESS");

        await engine.Manager.AbortAsync(42, EngineHarness.Root);
        var unknown = () => engine.Manager.AbortAsync(43, EngineHarness.Root);

        await unknown.Should().ThrowAsync<InstanceNotFoundException>();
        engine.Peers.Aborts.Should().BeEmpty();
    }

    [Fact]
    public async Task Wait_JobOnAnotherNode_EndsWithItsResultOnceItsEndIsRelayed()
    {
        await using var engine = new EngineHarness();
        engine.Store.Rows[42] = Row(42, "RUNNING");

        var wait = engine.Manager.WaitAsync(42, EngineHarness.Root, CancellationToken.None);
        engine.Signals.Changed(42); // A progress event: still running, the wait goes on.
        await Task.Yield();
        wait.IsCompleted.Should().BeFalse();
        var finished = Row(42, "SUCCESS");
        finished.ResultJson = "\"done\"";
        engine.Store.Rows[42] = finished;
        engine.Signals.Changed(42);

        var result = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        result!.GetValue<string>().Should().Be("done");
    }

    [Fact]
    public async Task Wait_JobOnAnotherNodeThatFails_RaisesItsError()
    {
        await using var engine = new EngineHarness();
        engine.Store.Rows[42] = Row(42, "WAITING");

        var wait = engine.Manager.WaitAsync(42, EngineHarness.Root, CancellationToken.None);
        var failed = Row(42, "FAILED");
        failed.Error = "[EFAULT] node node-b stopped while the job was running";
        engine.Store.Rows[42] = failed;
        engine.Signals.Changed(42);

        await wait.Invoking(w => w.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<Exception>()
            .WithMessage("*node node-b stopped*");
    }

    private static JobRecord Row(long id, string state) => new()
    {
        Id = id, Method = "enginetest.free", State = state, Username = "alice", TimeStarted = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc),
    };
}
