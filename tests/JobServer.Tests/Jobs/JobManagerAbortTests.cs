using JobServer.Jobs;
using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>Aborts: a waiting job ends at once; a body that ignores its abort is abandoned after the grace (fake clock).</summary>
public sealed class JobManagerAbortTests
{
    [Fact]
    public async Task Abort_WaitingJob_AbortedAtOnceAndNeverRuns()
    {
        await using var engine = new EngineHarness();
        var holder = await engine.SubmitAsync("OnX", "[1]");
        var waiting = await engine.SubmitAsync("OnX", "[2]");

        await engine.Manager.AbortAsync(waiting.Id, EngineHarness.Root);

        engine.Bus.StatesOf(waiting.Id).Should().Equal("Added:WAITING", "Changed:ABORTED");
        engine.Runner.Succeed(holder.Id);
        await engine.Bus.WaitForStateAsync(holder.Id, "SUCCESS");
        var after = await engine.SubmitAsync("OnX", "[3]");
        await engine.Runner.WaitStartedAsync(after.Id);
        engine.Runner.HasStarted(waiting.Id).Should().BeFalse();
    }

    [Fact]
    public async Task Abort_BodyIgnoresIt_AbandonedAfterTheGraceAndTheLockReleased()
    {
        await using var engine = new EngineHarness(new JobsOptions { AbortGraceSeconds = 5 });
        var stubborn = await engine.SubmitAsync("OnX", "[1]"); // The fake body never returns by itself.
        var next = await engine.SubmitAsync("OnX", "[2]");
        await engine.Runner.WaitStartedAsync(stubborn.Id);

        await engine.Manager.AbortAsync(stubborn.Id, EngineHarness.Root);
        engine.Clock.Advance(TimeSpan.FromSeconds(4));
        engine.Bus.StatesOf(stubborn.Id).Should().NotContain("Changed:ABORTED");
        engine.Runner.HasStarted(next.Id).Should().BeFalse();
        engine.Clock.Advance(TimeSpan.FromSeconds(1));

        var aborted = await engine.Bus.WaitForStateAsync(stubborn.Id, "ABORTED");
        aborted.Fields["error"]!.GetValue<string>().Should().Contain("did not stop within 5 s");
        await engine.Runner.WaitStartedAsync(next.Id);
    }

    [Fact]
    public async Task Abort_BodyStopsWithinTheGrace_AbortedWithTheCallersReason()
    {
        await using var engine = new EngineHarness();
        engine.Runner.Body = async (job, _) =>
        {
            await Task.Delay(Timeout.Infinite, job.Abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return JobFailure.Aborted(job.AbortReason!);
        };
        var job = await engine.SubmitAsync("Free");
        await engine.Runner.WaitStartedAsync(job.Id);

        await engine.Manager.AbortAsync(job.Id, EngineHarness.Root, "enough");

        var aborted = await engine.Bus.WaitForStateAsync(job.Id, "ABORTED");
        aborted.Fields["error"]!.GetValue<string>().Should().Be("enough");
    }
}
