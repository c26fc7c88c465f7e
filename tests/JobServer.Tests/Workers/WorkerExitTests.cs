using JobServer.Workers;

namespace JobServer.Tests.Workers;

public sealed class WorkerExitTests
{
    [Theory]
    [InlineData(134, "it was killed by signal 6 (SIGABRT: a crash, Environment.FailFast or a stack overflow)")]
    [InlineData(137, "it was killed by signal 9 (SIGKILL)")]
    [InlineData(3, "it ran out of memory")]
    [InlineData(1, "it exited with code 1")]
    public void Describe_SaysHowAWorkerEnded(int exitCode, string expected) =>
        WorkerExit.Describe(exitCode).Should().Be(expected);

    [Theory]
    [InlineData(-1, 16, 1024, "PoolSize must be 0 or more")]
    [InlineData(5, 4, 1024, "PoolSize cannot exceed")]
    [InlineData(1, 4, 8, "MemoryLimitMb must be 0 (no limit) or at least 32")]
    public void WorkersOptions_OutOfRange_NameTheSetting(int pool, int max, int memory, string problem)
    {
        var options = new WorkersOptions { PoolSize = pool, MaxWorkers = max, MemoryLimitMb = memory };

        options.IsValid(out var message).Should().BeFalse();
        message.Should().Contain(problem);
    }
}
