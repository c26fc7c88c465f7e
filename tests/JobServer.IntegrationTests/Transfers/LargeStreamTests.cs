using System.Net;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;
using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Transfers;

/// <summary>A GiB up and down through <c>exec.run</c>, with the daemon (a separate process) barely growing.</summary>
public sealed class LargeStreamTests(ITestOutputHelper output)
{
    private const long OneGiB = 1L << 30;
    private const long AllowedGrowth = 64L << 20;

    [Fact]
    public async Task OneGiB_UpAndDown_ThroughExecRun_WithBoundedMemory()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-large").FullName;
        await using var daemon = await DaemonProcess.StartAsync(dataDir, JobsDaemon.Args);
        await using var client = await daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(daemon.BaseUri);
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        var baseline = daemon.Memory().Resident;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(
                ("data", Transfer.Data("exec.run", "sh", new[] { "-c", "cat | wc -c" })),
                ("file", new StreamContent(new PatternStream(OneGiB), 256 * 1024))),
        };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);
        using var uploaded = await http.SendAsync(request);
        uploaded.StatusCode.Should().Be(HttpStatusCode.OK);
        var uploadJob = (await Transfer.JsonAsync(uploaded)).GetProperty("job_id").GetInt64();
        (await client.CallResultAsync("core.job_wait", uploadJob)).GetProperty("stdout_tail").GetString()!.Trim()
            .Should().Be(OneGiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var afterUpload = daemon.Memory().Peak;

        var (_, url) = await Transfer.OfferAsync(client, "exec.run",
            ["sh", new[] { "-c", $"head -c {OneGiB} /dev/zero | cat" }], "zeros.bin");
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256 * 1024];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            buffer.AsSpan(0, read).ContainsAnyExcept((byte)0).Should().BeFalse();
            received += read;
        }

        received.Should().Be(OneGiB);
        var peak = daemon.Memory().Peak;
        output.WriteLine($"daemon RSS before {baseline >> 20} MiB; peak after upload {afterUpload >> 20} MiB; " +
                         $"peak after download {peak >> 20} MiB; growth {(peak - baseline) >> 20} MiB");
        (peak - baseline).Should().BeLessThan(AllowedGrowth);
        Directory.Delete(dataDir, recursive: true);
    }
}
