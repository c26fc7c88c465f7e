using System.Net;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Transfers;

public sealed class DownloadTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task SeedFlow_CoreDownloadThenGet_StreamsTheOutputOnce()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);

        var (jobId, url) = await Transfer.OfferAsync(client, "testjobs.produce", [300_000], "my \"report\".bin");

        url.Should().MatchRegex($"^/_download/{jobId}\\?auth_token=[A-Za-z0-9_-]{{40,}}$");
        using var response = await http.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.GetValues("Content-Disposition").Single()
            .Should().Be("attachment; filename=\"my \\\"report\\\".bin\"", "always quoted; no filename* for ASCII");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Transfer.Pattern(300_000));
        (await watcher.StateAsync(jobId, "SUCCESS")).GetProperty("result").GetInt64().Should().Be(300_000);

        using var again = await http.GetAsync(url);
        again.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token is single-use");
    }

    [Fact]
    public async Task Get_BadTokensAndIds_AreRefusedWithTheReferenceStatuses()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(Daemon.BaseUri);
        var (jobId, url) = await Transfer.OfferAsync(client, "testjobs.produce", [10], "x");

        (await http.GetAsync($"/_download/{jobId}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.GetAsync($"/_download/{jobId}?auth_token=wrong")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var otherJob = url.Replace($"/_download/{jobId}?", $"/_download/{jobId + 1000}?", StringComparison.Ordinal);
        (await http.GetAsync(otherJob)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token is bound to its job");
        (await http.GetAsync("/_download/abc?auth_token=x")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var unknownJobToken = (await client.CallResultAsync("auth.generate_token", 600, new { job = 987_654 })).GetString();
        (await http.GetAsync($"/_download/987654?auth_token={unknownJobToken}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await http.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        var secondToken = (await client.CallResultAsync("auth.generate_token", 600, new { job = jobId })).GetString();
        var begun = await http.GetAsync($"/_download/{jobId}?auth_token={secondToken}");
        begun.StatusCode.Should().Be(HttpStatusCode.Gone, "the download already began");
        (await Transfer.JsonAsync(begun)).GetProperty("message").GetString().Should().Contain("already began");
    }

    [Fact]
    public async Task Get_UnknownJobWithoutAGoodToken_Is401LikeAKnownOne()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(Daemon.BaseUri);
        var (jobId, _) = await Transfer.OfferAsync(client, "testjobs.produce", [10], "x");

        foreach (var id in new[] { jobId, 876_543 })
        {
            using var none = await http.GetAsync($"/_download/{id}");
            using var wrong = await http.GetAsync($"/_download/{id}?auth_token=wrong");

            none.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "an anonymous caller must not learn whether job {0} exists", id);
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await Transfer.JsonAsync(wrong)).GetProperty("message").GetString().Should().Be("Invalid token");
        }
    }

    [Fact]
    public async Task Get_NonAsciiFileName_HasAQuotedAsciiFallbackAndFilenameStar()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(Daemon.BaseUri);
        var (_, url) = await Transfer.OfferAsync(client, "testjobs.produce", [10], "résumé 2026.pdf");

        using var response = await http.GetAsync(url);

        response.Content.Headers.GetValues("Content-Disposition").Single().Should().Be(
            "attachment; filename=\"r_sum_ 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf");
        response.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("résumé 2026.pdf");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Transfer.Pattern(10));
    }

    [Fact]
    public async Task Buffered_OutputIsSpooledAndFetchedAfterTheJobEnded()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);

        var (jobId, url) = await Transfer.OfferAsync(client, "testjobs.produce", [2_000_000], "b.bin", buffered: true);
        await watcher.StateAsync(jobId, "SUCCESS");

        (await http.GetByteArrayAsync(url)).Should().Equal(Transfer.Pattern(2_000_000));
        Directory.EnumerateFiles(Path.Combine(Daemon.DataDir, "spool")).Should().BeEmpty("the spool file is deleted once sent");
    }

    [Fact]
    public async Task Download_MethodWithoutOutput_IsRefused()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("core.download", "testjobs.echo", new object[] { 1 }, "x");

        error.GetProperty("reason").GetString().Should().Be("[EINVAL] testjobs.echo has no output to download");
    }

    [Fact]
    public async Task JobNeedingAnOutputPipe_CalledDirectly_IsRefusedAtCallTime()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("testjobs.produce", 5);

        error.GetProperty("reason").GetString().Should().Contain("Pipe 'output' is not open");
    }

    [Fact]
    public async Task ClientDisconnectsMidDownload_JobFailsWithAClearError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);
        var (jobId, url) = await Transfer.OfferAsync(client, "testjobs.endless", [], "endless.bin");

        using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 20];
            await body.ReadAtLeastAsync(buffer, buffer.Length);
        }

        var failed = await watcher.StateAsync(jobId, "FAILED");
        failed.GetProperty("error").GetString().Should().Be("The download client disconnected");
    }

    [Fact]
    public async Task ExecRun_OutputPipe_StreamsStdoutAsTheDownload()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(Daemon.BaseUri);

        var (_, url) = await Transfer.OfferAsync(client, "exec.run",
            ["sh", new[] { "-c", "printf 'hello\\nPROGRESS 50 x\\n'; echo err >&2" }], "out.txt");

        (await http.GetStringAsync(url)).Should().Be("hello\nPROGRESS 50 x\n");
    }

    [Fact]
    public async Task ExecRun_OutputLargerThanThePipes_ArrivesWholeAndInOrder()
    {
        // The process fills its kernel pipe and the job's pipe before the GET begins; the download sends those,
        // then the job writes into the response itself. Every byte must cross that switch once, in order.
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);
        var file = Path.Combine(Path.GetTempPath(), $"jobserver-download-{Guid.NewGuid():N}.bin");
        var pattern = Transfer.Pattern(8 << 20);
        await File.WriteAllBytesAsync(file, pattern);
        try
        {
            var (jobId, url) = await Transfer.OfferAsync(client, "exec.run", ["sh", new[] { "-c", $"cat '{file}'" }], "pattern.bin");

            (await http.GetByteArrayAsync(url)).Should().Equal(pattern);
            await watcher.StateAsync(jobId, "SUCCESS");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ExecRun_ClientDisconnectsMidDownload_ProcessIsStoppedAndJobFails()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);
        var (jobId, url) = await Transfer.OfferAsync(client, "exec.run", ["sh", new[] { "-c", "cat /dev/zero" }], "zeros.bin");

        using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[4 << 20]; // more than the kernel pipe and the job's pipe hold together
            await body.ReadAtLeastAsync(buffer, buffer.Length);
        }

        var failed = await watcher.StateAsync(jobId, "FAILED");
        failed.GetProperty("error").GetString().Should().Be("The download client disconnected");
    }

    [Fact]
    public async Task JobDownloadLogs_GivesAUrlToTheLog()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);
        var jobId = (await client.CallResultAsync("testjobs.log", 3)).GetInt64();
        await watcher.StateAsync(jobId, "SUCCESS");

        var url = (await client.CallResultAsync("core.job_download_logs", jobId, "log.txt")).GetString()!;

        (await http.GetStringAsync(url)).Should().Be("line 1\nline 2\nline 3\n");
        var noLogs = (await client.CallResultAsync("testjobs.echo", 1)).GetInt64();
        await watcher.StateAsync(noLogs, "SUCCESS");
        (await client.CallErrorAsync("core.job_download_logs", noLogs, "x")).GetProperty("reason").GetString()
            .Should().Be("[EFAULT] This job has no logs");
    }
}
