using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

public sealed class JobLifecycleTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private static string Key() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task JobCall_AnswersWithIdAndEmitsTheFullEventSequence()
    {
        await using var caller = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();

        var callId = await caller.SendCallAsync("testjobs.gate", key);
        var jobId = (await caller.ResultOfAsync(callId)).GetProperty("result").GetInt64();

        var added = await watcher.NextAsync(jobId);
        added.Msg().Should().Be("added");
        var fields = added.GetProperty("fields");
        fields.GetProperty("state").GetString().Should().Be("WAITING");
        fields.GetProperty("method").GetString().Should().Be("testjobs.gate");
        fields.GetProperty("arguments")[0].GetString().Should().Be(key);
        fields.GetProperty("message_ids")[0].GetString().Should().Be(callId);
        fields.GetProperty("credentials").GetProperty("data").GetProperty("username").GetString().Should().Be("root");
        fields.GetProperty("time_started").GetProperty("$date").GetInt64().Should().BePositive();
        fields.GetProperty("time_finished").ValueKind.Should().Be(JsonValueKind.Null);
        fields.GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(0);
        fields.GetProperty("abortable").GetBoolean().Should().BeTrue();
        foreach (var field in new[] { "result", "error", "exception", "exc_info", "logs_path", "logs_excerpt", "description", "transient" })
        {
            fields.TryGetProperty(field, out _).Should().BeTrue(field);
        }

        (await watcher.NextAsync(jobId)).GetProperty("fields").GetProperty("state").GetString().Should().Be("RUNNING");
        await caller.CallResultAsync("testjobs.release", key);
        var done = (await watcher.NextAsync(jobId)).GetProperty("fields");
        done.GetProperty("state").GetString().Should().Be("SUCCESS");
        done.GetProperty("result").GetString().Should().Be(key);
        done.GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(100);
        done.GetProperty("time_finished").GetProperty("$date").GetInt64().Should().BePositive();
    }

    [Fact]
    public async Task GetJobs_SeedQuery_ReturnsTheJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var id = (await client.CallResultAsync("testjobs.echo", 5)).GetInt64();
        await watcher.StateAsync(id, "SUCCESS");

        var jobs = await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", id } });

        jobs.GetArrayLength().Should().Be(1);
        jobs[0].GetProperty("result").GetInt32().Should().Be(5);
        jobs[0].GetProperty("state").GetString().Should().Be("SUCCESS");
    }

    [Fact]
    public async Task ValidationErrorInsideJob_FailsWithValidationExcInfo()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("testjobs.invalid")).GetInt64();
        var job = await watcher.StateAsync(id, "FAILED");

        job.GetProperty("error").GetString().Should().Be("[EINVAL] testjobs_invalid.field: This field is wrong");
        var excInfo = job.GetProperty("exc_info");
        excInfo.GetProperty("type").GetString().Should().Be("VALIDATION");
        excInfo.GetProperty("errno").GetInt32().Should().Be(22);
        excInfo.GetProperty("extra")[0][0].GetString().Should().Be("testjobs_invalid.field");
        excInfo.GetProperty("extra")[0][1].GetString().Should().Be("This field is wrong");
    }

    [Fact]
    public async Task ThrowingJob_FailsWithItsErrorAndTraceback()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var crash = await watcher.StateAsync((await client.CallResultAsync("testjobs.crash")).GetInt64(), "FAILED");
        var failed = await watcher.StateAsync((await client.CallResultAsync("testjobs.fail", "nope")).GetInt64(), "FAILED");

        crash.GetProperty("error").GetString().Should().Be("boom");
        crash.GetProperty("exc_info").GetProperty("type").GetString().Should().Be("InvalidOperationException");
        crash.GetProperty("exception").GetString().Should().Contain("InvalidOperationException").And.Contain("Crash");
        failed.GetProperty("error").GetString().Should().Be("[EINVAL] nope");
        failed.GetProperty("exc_info").GetProperty("type").GetString().Should().Be("CallError");
        failed.GetProperty("exc_info").GetProperty("errno").GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task BadArguments_AreRefusedAtCallTimeAndCreateNoJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = (await client.CallResultAsync("core.get_jobs", Array.Empty<object>(), new { count = true })).GetInt32();

        var error = await client.CallErrorAsync("testjobs.gate");

        error.GetProperty("error").GetInt32().Should().Be(11);
        error.GetProperty("extra")[0][0].GetString().Should().Be("testjobs_gate.key");
        (await client.CallResultAsync("core.get_jobs", Array.Empty<object>(), new { count = true })).GetInt32().Should().Be(before);
    }

    [Fact]
    public async Task Progress_IsCoalescedButTheLastValueArrives()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Key();

        var id = (await client.CallResultAsync("testjobs.progress", 40, key)).GetInt64();

        var last = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" && m.GetProperty("id").GetInt64() == id &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString() == "step 40 of 40");
        last.GetProperty("fields").GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(50);
        last.GetProperty("fields").GetProperty("progress").GetProperty("extra").GetProperty("step").GetInt32().Should().Be(40);
        await client.CallResultAsync("testjobs.release", key);
        var done = await watcher.StateAsync(id, "SUCCESS");
        done.GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(100);
    }

    [Fact]
    public async Task SecretArguments_AreRedacted()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("testjobs.secret", "alice", "hunter2")).GetInt64();
        var job = await watcher.StateAsync(id, "SUCCESS");

        job.GetProperty("arguments")[0].GetString().Should().Be("alice");
        job.GetProperty("arguments")[1].GetString().Should().Be("********");
        job.GetRawText().Should().NotContain("hunter2");
    }

    [Fact]
    public async Task Logs_GoToAFileAndTheExcerptKeepsHeadAndTail()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("testjobs.log", 25)).GetInt64();
        var job = await watcher.StateAsync(id, "SUCCESS");

        var path = job.GetProperty("logs_path").GetString()!;
        path.Should().Be(Path.Combine(Daemon.DataDir, "jobs", $"{id}.log"));
        File.ReadAllLines(path).Should().HaveCount(25);
        job.GetProperty("logs_excerpt").GetString().Should().Contain("line 10\n... 5 more lines ...\nline 16");
    }

    [Fact]
    public async Task JobWait_ReturnsTheResultOrRaisesTheError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var key = Key();
        var id = (await client.CallResultAsync("testjobs.gate", key)).GetInt64();

        var wait = client.SendCallAsync("core.job_wait", id);
        await client.CallResultAsync("testjobs.release", key);
        (await client.ResultOfAsync(await wait)).GetProperty("result").GetString().Should().Be(key);

        var failing = (await client.CallResultAsync("testjobs.fail", "bad")).GetInt64();
        var error = await client.CallErrorAsync("core.job_wait", failing);
        error.GetProperty("reason").GetString().Should().Be("[EINVAL] bad");

        (await client.CallErrorAsync("core.job_wait", 987654)).GetProperty("error").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Bulk_RunsEachCallAndReportsEach()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "testjobs.echo", new object[] { new[] { 1 }, new[] { 2 } })).GetInt64();
        var result = await client.CallResultAsync("core.job_wait", bulk);

        result.GetArrayLength().Should().Be(2);
        result[0].GetProperty("result").GetInt32().Should().Be(1);
        result[1].GetProperty("result").GetInt32().Should().Be(2);
        result[0].GetProperty("job_id").GetInt64().Should().BePositive();
        result[0].GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);

        var mixed = (await client.CallResultAsync("core.bulk", "testjobs.fail", new object[] { new[] { "x" } })).GetInt64();
        var failures = await client.CallResultAsync("core.job_wait", mixed);
        failures[0].GetProperty("error").GetString().Should().Be("[EINVAL] x");

        var plain = (await client.CallResultAsync("core.bulk", "core.ping", new object[] { Array.Empty<object>() })).GetInt64();
        (await client.CallResultAsync("core.job_wait", plain))[0].GetProperty("result").GetString().Should().Be("pong");
    }

    [Fact]
    public async Task GetJobs_FiltersAndOptions()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var marker = Key();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await client.CallResultAsync("testjobs.echo", marker)).GetInt64();
            await watcher.StateAsync(id, "SUCCESS");
            ids.Add(id);
        }

        var byArgument = await client.CallResultAsync("core.get_jobs",
            new object[] { new object[] { "arguments.0", "=", marker } }, new { order_by = new[] { "-id" } });
        byArgument.EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).Should().Equal(ids.AsEnumerable().Reverse());

        var count = await client.CallResultAsync("core.get_jobs",
            new object[] { new object[] { "method", "=", "testjobs.echo" }, new object[] { "id", "in", ids } },
            new { count = true });
        count.GetInt32().Should().Be(3);

        var one = await client.CallResultAsync("core.get_jobs",
            new object[] { new object[] { "id", "=", ids[1] } }, new { get = true, select = new[] { "id", "state" } });
        one.GetProperty("state").GetString().Should().Be("SUCCESS");
        one.EnumerateObject().Should().HaveCount(2);

        var missing = await client.CallErrorAsync("core.get_jobs",
            new object[] { new object[] { "id", "=", -1 } }, new { get = true });
        missing.GetProperty("reason").GetString().Should().Be("MatchNotFound()");

        var page = await client.CallResultAsync("core.get_jobs",
            new object[] { new object[] { "id", "in", ids } }, new { offset = 1, limit = 1 });
        page[0].GetProperty("id").GetInt64().Should().Be(ids[1]);

        var bad = await client.CallErrorAsync("core.get_jobs", new object[] { new object[] { "id", "??", 1 } });
        bad.GetProperty("type").GetString().Should().Be("VALIDATION");
    }
}
