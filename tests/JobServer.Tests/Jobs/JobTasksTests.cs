using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>The job engine's tasks are owned: a stop awaits them and starts nothing new.</summary>
public sealed class JobTasksTests
{
    [Fact]
    public async Task Stop_BodyStillRunning_StopReturnsAndLeavesTheJobRunning()
    {
        await using var engine = new EngineHarness();
        var running = await engine.SubmitAsync("OnX", "[1]");
        var waiting = await engine.SubmitAsync("OnX", "[2]");
        await engine.Runner.WaitStartedAsync(running.Id);

        await engine.Tasks.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        engine.Store.Rows[running.Id].State.Should().Be("RUNNING", "the next start records it as interrupted");
        engine.Store.Rows[waiting.Id].State.Should().Be("WAITING", "it runs after the next start");
        engine.Runner.HasStarted(waiting.Id).Should().BeFalse();
    }

    [Fact]
    public async Task Stop_AwaitsAJobWhoseEndIsBeingCommitted()
    {
        await using var engine = new EngineHarness();
        var job = await engine.SubmitAsync("Free");
        await engine.Runner.WaitStartedAsync(job.Id);
        var disk = new TaskCompletionSource();
        engine.Store.HoldCommitsUntil = disk.Task;
        engine.Runner.Succeed(job.Id);
        await engine.Store.CommitHeld.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stop = engine.Tasks.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        await Task.Yield();
        stop.IsCompleted.Should().BeFalse("the job's finish is still being committed");
        disk.SetResult();
        await stop;

        engine.Store.Rows[job.Id].State.Should().Be("SUCCESS");
    }
}
