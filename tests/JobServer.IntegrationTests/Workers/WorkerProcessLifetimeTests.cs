using System.Net;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;
using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Workers;

/// <summary>
/// Worker processes with the daemon as a separate process: a GiB through a process job with neither process's
/// memory growing, and workers that never outlive their daemon, however it ends.
/// </summary>
public sealed class WorkerProcessLifetimeTests(ITestOutputHelper output)
{
    private const long OneGiB = 1L << 30;
    private const long AllowedGrowth = 64L << 20;

    private static readonly string[] Args = [.. JobsDaemon.Args, "--JobServer:Workers:PoolSize=1"];

    [Fact]
    public async Task OneGiB_UpAndDown_ThroughAProcessJob_WithTheDaemonsAndTheWorkersMemoryFlat()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-workers").FullName;
        await using var daemon = await DaemonProcess.StartAsync(dataDir, Args);
        await using var client = await daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(daemon.BaseUri);
        var worker = (await client.CallResultAsync("core.job_wait", (await client.CallResultAsync("testprocess.pid")).GetInt64())).GetInt32();
        var daemonBefore = daemon.Memory().Resident;
        var workerBefore = ProcessTable.MemoryOf(worker).Resident;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(("data", Transfer.Data("testprocess.consume")),
                ("file", new StreamContent(new PatternStream(OneGiB), 256 * 1024))),
        };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);
        using var uploaded = await http.SendAsync(request);
        uploaded.StatusCode.Should().Be(HttpStatusCode.OK);
        var consumed = await client.CallResultAsync("core.job_wait", (await Transfer.JsonAsync(uploaded)).GetProperty("job_id").GetInt64());
        consumed.GetProperty("bytes").GetInt64().Should().Be(OneGiB);

        var (downloadJob, url) = await Transfer.OfferAsync(client, "testprocess.produce", [OneGiB], "pattern.bin");
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256 * 1024];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i += 4093)
            {
                buffer[i].Should().Be((byte)((received + i) % 251));
            }

            received += read;
        }

        received.Should().Be(OneGiB);
        (await client.CallResultAsync("core.job_wait", downloadJob)).GetInt64().Should().Be(OneGiB);
        var daemonPeak = daemon.Memory().Peak;
        var workers = (await client.CallResultAsync("core.get_workers")).EnumerateArray().Select(w => w.GetProperty("pid").GetInt32()).ToArray();
        var workerPeak = workers.Max(pid => ProcessTable.MemoryOf(pid).Peak);
        output.WriteLine($"daemon RSS {daemonBefore >> 20} MiB → peak {daemonPeak >> 20} MiB; worker {worker} RSS " +
                         $"{workerBefore >> 20} MiB → peak of workers [{string.Join(", ", workers)}] {workerPeak >> 20} MiB");
        (daemonPeak - daemonBefore).Should().BeLessThan(AllowedGrowth);
        (workerPeak - workerBefore).Should().BeLessThan(AllowedGrowth);
        Directory.Delete(dataDir, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Workers_EndWithTheirDaemon_AStopOrAKill9(bool crash)
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-workers").FullName;
        await using var daemon = await DaemonProcess.StartAsync(dataDir, Args);
        await using var client = await daemon.ConnectAsRootAsync();
        await client.CallResultAsync("testprocess.busy", "ends with the daemon"); // one busy worker …
        var idle = (await client.CallResultAsync("core.job_wait", (await client.CallResultAsync("testprocess.pid")).GetInt64())).GetInt32();
        var pids = await WorkerPidsAsync(client, atLeast: 2); // … and an idle one

        if (crash)
        {
            await daemon.CrashAsync();
        }
        else
        {
            await daemon.TerminateAsync();
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0);
        }

        pids.Should().Contain(idle);
        foreach (var pid in pids)
        {
            (await ProcessTable.WaitUntilAsync(() => ProcessTable.IsGone(pid), TimeSpan.FromSeconds(30))).Should().BeTrue($"worker {pid} ended");
        }

        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<int[]> WorkerPidsAsync(DdpClient client, int atLeast)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var workers = await client.CallResultAsync("core.get_workers");
            if (workers.GetArrayLength() >= atLeast && workers.EnumerateArray().Any(w => w.GetProperty("state").GetString() == "BUSY"))
            {
                return workers.EnumerateArray().Select(w => w.GetProperty("pid").GetInt32()).ToArray();
            }

            await Task.Delay(50, timeout.Token); // The warm worker starts in the background.
        }
    }
}
