using System.Diagnostics;
using JobServer.Services.Exec;

namespace JobServer.Tests.Exec;

public sealed class PipeCapacityTests
{
    [Fact]
    public async Task TryGrow_LetsAMebibyteWaitInTheKernel_ForAProcessThatReadsNothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // F_SETPIPE_SZ is Linux's; elsewhere the pipe keeps its size by design.
        }

        var start = new ProcessStartInfo("sleep", "30") { RedirectStandardInput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        try
        {
            var capacity = PipeCapacity.TryGrow(process.StandardInput.BaseStream);

            capacity.Should().Be(1024 * 1024);
            // sleep never reads: with the default 64 KiB pipe this write would block until the process exits.
            var write = process.StandardInput.BaseStream.WriteAsync(new byte[1024 * 1024]).AsTask();
            await write.WaitAsync(TimeSpan.FromSeconds(20));
            write.IsCompletedSuccessfully.Should().BeTrue();
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public void TryGrow_LeavesStreamsThatAreNotPipesAlone()
    {
        using var memory = new MemoryStream();

        PipeCapacity.TryGrow(memory).Should().BeNull();
    }
}
