using JobServer.Workers;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace JobServer.Tests.Workers;

/// <summary>What a worker process is started with: limits, a quiet thread pool, and none of the daemon's secrets.</summary>
public sealed class WorkerLaunchTests
{
    private readonly WorkerLaunch _launch = new(MsOptions.Create(new WorkersOptions { MemoryLimitMb = 256 }));

    [Fact]
    public void StartInfo_SetsTheHeapLimitTheCoresAndNoThreadPoolSpinning()
    {
        var start = _launch.StartInfo(processorCount: 2);

        start.Environment["DOTNET_GCHeapHardLimit"].Should().Be((256L * 1024 * 1024).ToString("X", System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_PROCESSOR_COUNT"].Should().Be("2");
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"].Should().Be("0");
        start.ArgumentList.Should().Contain(JobServer.Workers.Host.WorkerMain.Verb);
    }

    [Fact]
    public void StartInfo_LeavesOutTheDaemonsSettingsAndSecrets()
    {
        Environment.SetEnvironmentVariable("JobServer__Auth__SomeSecret", "s3cret");
        try
        {
            var start = _launch.StartInfo();

            start.Environment.Keys.Should().NotContain(k => k.StartsWith("JobServer__", StringComparison.OrdinalIgnoreCase) ||
                                                            k.StartsWith("JOBSERVER_", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Environment.SetEnvironmentVariable("JobServer__Auth__SomeSecret", null);
        }
    }
}
