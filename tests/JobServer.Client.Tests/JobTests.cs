using System.Collections.Concurrent;
using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

public sealed class JobTests(ClientDaemonFixture fixture) : IClassFixture<ClientDaemonFixture>
{
    private ClientDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData(JobServerDialect.JsonRpc)]
    [InlineData(JobServerDialect.Ddp)]
    public async Task CallJobAsync_JobFails_RaisesTypedJobException(JobServerDialect dialect)
    {
        await using var client = await Daemon.ConnectAsRootAsync(dialect);

        var failed = await FluentActions.Awaiting(() => client.CallJobAsync<JsonElement>("testjobs.fail", ["it broke"]))
            .Should().ThrowAsync<JobServerJobException>();

        failed.Which.Errno.Should().Be(22);
        failed.Which.Reason.Should().Be("[EINVAL] it broke");
        failed.Which.JobId.Should().BePositive();
        failed.Which.Aborted.Should().BeFalse();
    }

    [Fact]
    public async Task CallJobAsync_JobFailsValidation_CarriesAttributes()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var failed = await FluentActions.Awaiting(() => client.CallJobAsync<JsonElement>("testjobs.invalid"))
            .Should().ThrowAsync<JobServerJobException>();

        failed.Which.ValidationErrors.Should().ContainSingle()
            .Which.Attribute.Should().Be("testjobs_invalid.field");
    }

    [Fact]
    public async Task CallJobAsync_RefusedCall_IsNoJobError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var refused = await FluentActions.Awaiting(() => client.CallJobAsync<JsonElement>("testjobs.fail"))
            .Should().ThrowAsync<JobServerCallException>();

        refused.Which.Should().NotBeOfType<JobServerJobException>("a missing argument is refused before any job exists");
    }

    [Fact]
    public async Task CallJobAsync_WithProgress_ReportsStepsAndReturnsResult()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var other = await Daemon.ConnectAsRootAsync();
        var gate = $"progress-{Guid.NewGuid():N}";
        var seen = new ConcurrentQueue<JobProgress>();
        var lastStep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new InlineProgress<JobProgress>(p =>
        {
            seen.Enqueue(p);
            if (p.Description == "step 4 of 4")
            {
                lastStep.TrySetResult();
            }
        });

        var job = client.CallJobAsync<int>("testjobs.progress", [4, gate], progress);
        await lastStep.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await other.CallAsync("testjobs.release", [gate]);

        (await job).Should().Be(4);
        seen.Should().Contain(p => p.Percent == 50 && p.State == "RUNNING");
    }

    [Fact]
    public async Task WaitJobAsync_AbortedJob_RaisesAborted()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var id = await client.CallAsync<long>("testjobs.gate", [$"abort-{Guid.NewGuid():N}"]);
        var wait = client.WaitJobAsync<JsonElement>(id);

        await client.CallAsync("core.job_abort", [id]);

        var aborted = await FluentActions.Awaiting(() => wait).Should().ThrowAsync<JobServerJobException>();
        aborted.Which.JobId.Should().Be(id);
        aborted.Which.Aborted.Should().BeTrue();
    }

    [Fact]
    public async Task WaitJobAsync_UnknownJob_IsRefusalNotJobError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var refused = await FluentActions.Awaiting(() => client.WaitJobAsync<JsonElement>(987654321))
            .Should().ThrowAsync<JobServerCallException>();

        refused.Which.Should().NotBeOfType<JobServerJobException>();
    }
}
