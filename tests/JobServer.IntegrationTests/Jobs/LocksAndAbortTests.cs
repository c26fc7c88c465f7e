using JobServer.IntegrationTests.Support;
using JobServer.Sdk;

namespace JobServer.IntegrationTests.Jobs;

public sealed class LocksAndAbortTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private static string Key() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task SameLock_SecondWaitsUntilTheFirstEnds()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();

        var first = (await client.CallResultAsync("testjobs.gate", key)).GetInt64();
        await watcher.StateAsync(first, "RUNNING");
        var second = (await client.CallResultAsync("testjobs.gate", key)).GetInt64();
        var other = (await client.CallResultAsync("testjobs.gate", Key())).GetInt64();

        await watcher.StateAsync(other, "RUNNING"); // a free lock overtakes the blocked job
        var waiting = await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", second } });
        waiting[0].GetProperty("state").GetString().Should().Be("WAITING");

        await client.CallResultAsync("testjobs.release", key);
        await watcher.StateAsync(first, "SUCCESS");
        await watcher.StateAsync(second, "SUCCESS"); // the gate is already open when it runs
        await client.CallResultAsync("core.job_abort", other);
        await watcher.StateAsync(other, "ABORTED");
    }

    [Fact]
    public async Task TransientJobs_StartAtOnceOrAfterTheirLock_AndAreNeverListed()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var (held, free) = (Key(), Key());
        var holder = (await client.CallResultAsync("testjobs.gate", held)).GetInt64();
        await watcher.StateAsync(holder, "RUNNING");

        var behindTheLock = (await client.CallResultAsync("testjobs.transient_gate", held)).GetInt64();
        var atOnce = (await client.CallResultAsync("testjobs.transient_gate", free)).GetInt64();
        await client.CallResultAsync("testjobs.release", held);
        await client.CallResultAsync("testjobs.release", free);

        // Each transient job opens "<key>:ran" once it ran; these stored jobs wait on exactly that.
        foreach (var key in new[] { held, free })
        {
            var witness = (await client.CallResultAsync("testjobs.gate", key + ":ran")).GetInt64();
            await watcher.StateAsync(witness, "SUCCESS");
        }

        var listed = await client.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "in", new[] { behindTheLock, atOnce } } });
        listed.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task LockQueueSize_Full_FoldsOnlyTheSameCallOfTheSameOwner_AndRefusesAnyOther()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var otherAdmin = await Daemon.ConnectAsAccountAsync("admin2", Role.FullAdmin);
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var (k1, k2, k3) = (Key(), Key(), Key());

        var running = (await client.CallResultAsync("testjobs.queued", k1)).GetInt64();
        await watcher.StateAsync(running, "RUNNING");
        var waiting1 = (await client.CallResultAsync("testjobs.queued", k2)).GetInt64();
        var waiting2 = (await client.CallResultAsync("testjobs.queued", k3)).GetInt64();
        var before = await JobCount.OfAsync(client);

        // The same call again, by the same owner: it joins the waiting job (middlewared's LockQueueSize).
        var callId = await client.SendCallAsync("testjobs.queued", k3);
        var folded = (await client.ResultOfAsync(callId)).GetProperty("result").GetInt64();
        folded.Should().Be(waiting2);
        var changed = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" && m.GetProperty("id").GetInt64() == waiting2);
        var messageIds = changed.GetProperty("fields").GetProperty("message_ids");
        messageIds.GetArrayLength().Should().Be(2);
        messageIds[1].GetString().Should().Be(callId);

        // Other work — other arguments, or the same call by another admin — is refused, never merged into it.
        foreach (var (caller, key) in new[] { (client, "different"), (otherAdmin, k3) })
        {
            var error = await caller.CallErrorAsync("testjobs.queued", key);
            error.GetProperty("error").GetInt32().Should().Be(16);
            error.GetProperty("errname").GetString().Should().Be("EBUSY");
            error.GetProperty("reason").GetString().Should().Contain("Lock queue full");
        }

        (await JobCount.OfAsync(client)).Should().Be(before, "neither a fold nor a refusal creates a job");
        foreach (var key in new[] { k1, k2, k3 })
        {
            await client.CallResultAsync("testjobs.release", key);
        }

        await watcher.StateAsync(waiting1, "SUCCESS");
        (await watcher.StateAsync(waiting2, "SUCCESS")).GetProperty("result").GetString().Should().Be(k3);
    }

    [Fact]
    public async Task LockQueueSize_NotFull_QueuesAnotherAdminsCallAsItsOwnJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var otherAdmin = await Daemon.ConnectAsAccountAsync("admin3", Role.FullAdmin);
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var lockName = Key();

        var first = (await client.CallResultAsync("exec.run", "sleep", new[] { "30" }, new { @lock = lockName })).GetInt64();
        await watcher.StateAsync(first, "RUNNING");
        var rootsWaiting = (await client.CallResultAsync("exec.run", "sleep", new[] { "5" }, new { @lock = lockName })).GetInt64();
        var othersCall = (await otherAdmin.CallResultAsync("exec.run", "sh", new[] { "-c", "echo ran" },
            new { @lock = lockName })).GetInt64();

        othersCall.Should().NotBe(rootsWaiting, "another admin's command is its own job");
        await client.CallResultAsync("core.job_abort", first);
        await client.CallResultAsync("core.job_abort", rootsWaiting);
        (await watcher.StateAsync(othersCall, "SUCCESS")).GetProperty("result").GetProperty("stdout_tail").GetString()
            .Should().Be("ran");
    }

    [Fact]
    public async Task Abort_WaitingJob_IsAbortedAtOnce()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();
        var holder = (await client.CallResultAsync("testjobs.gate", key)).GetInt64();
        var waiting = (await client.CallResultAsync("testjobs.gate", key)).GetInt64();

        await client.CallResultAsync("core.job_abort", waiting);

        var aborted = await watcher.StateAsync(waiting, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Be("Aborted by root");
        aborted.GetProperty("exc_info").GetProperty("type").GetString().Should().Be("ABORTED");
        await client.CallResultAsync("testjobs.release", key);
        await watcher.StateAsync(holder, "SUCCESS");
    }

    [Fact]
    public async Task Abort_JobIgnoringCancellation_IsAbortedAfterTheGraceAndItsLockFreed()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();
        var id = (await client.CallResultAsync("testjobs.stubborn", key)).GetInt64();
        await watcher.StateAsync(id, "RUNNING");

        await client.CallResultAsync("core.job_abort", id);

        var aborted = await watcher.StateAsync(id, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Contain("did not stop within 1 s");
        await client.CallResultAsync("testjobs.release", key);
    }

    [Fact]
    public async Task Abort_UnknownJob_IsInstanceNotFound()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("core.job_abort", 999_999);

        error.GetProperty("error").GetInt32().Should().Be(2);
        error.GetProperty("reason").GetString().Should().Be("[ENOENT] Job with id 999999 does not exist");
    }
}
