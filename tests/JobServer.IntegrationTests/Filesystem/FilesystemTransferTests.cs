using System.Net;
using System.Security.Cryptography;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>filesystem.get through core.download and /_download; filesystem.put through /_upload.</summary>
public sealed class FilesystemTransferTests(FilesystemDaemon fixture) : IClassFixture<FilesystemDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private async Task<long> UploadAsync(byte[] bytes, params object[] parameters)
    {
        using var http = Transfer.Client(Daemon.BaseUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(("data", Transfer.Data("filesystem.put", parameters)),
                ("file", new ByteArrayContent(bytes))),
        };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);
        // The answer comes once the job has read the upload: bounded, so a job that never runs fails the test.
        using var timeout = new CancellationTokenSource(WebSocketTestClient.DefaultTimeout);
        using var response = await http.SendAsync(request, timeout.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await Transfer.JsonAsync(response)).GetProperty("job_id").GetInt64();
    }

    [Fact]
    public async Task Get_ThroughCoreDownload_StreamsTheFile()
    {
        var file = Path.Combine(fixture.NewDirectory(), "f.bin");
        var bytes = RandomNumberGenerator.GetBytes(1_500_000);
        await File.WriteAllBytesAsync(file, bytes);
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(Daemon.BaseUri);

        var (jobId, url) = await Transfer.OfferAsync(client, "filesystem.get", [file], "f.bin");
        using var response = await http.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        var done = await watcher.StateAsync(jobId, "SUCCESS");
        done.GetProperty("progress").GetProperty("description").GetString()
            .Should().Be($"Sent {bytes.Length} of {bytes.Length} bytes");
    }

    [Fact]
    public async Task Get_PathOutsideTheRoot_IsRefusedByCoreDownloadWithoutAJob()
    {
        var secret = Path.Combine(fixture.Outside, "download-secret.txt");
        await File.WriteAllTextAsync(secret, "secret");
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("core.download", "filesystem.get",
            new[] { fixture.Root + "/../outside/download-secret.txt" }, "s");

        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("reason").GetString().Should().Contain("outside the configured filesystem roots");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Fact]
    public async Task Put_ThroughUpload_WritesTheFile()
    {
        var target = Path.Combine(fixture.NewDirectory(), "uploaded.bin");
        var bytes = RandomNumberGenerator.GetBytes(700_000);
        await using var client = await Daemon.ConnectAsRootAsync();

        var jobId = await UploadAsync(bytes, target);

        (await client.CallResultAsync("core.job_wait", jobId)).GetBoolean().Should().BeTrue();
        (await File.ReadAllBytesAsync(target)).Should().Equal(bytes);
        Directory.GetFiles(Path.GetDirectoryName(target)!, "*.partial").Should().BeEmpty();
    }

    [Fact]
    public async Task Put_ThroughUploadWithAppend_AddsToTheFile()
    {
        var target = Path.Combine(fixture.NewDirectory(), "log.txt");
        await File.WriteAllTextAsync(target, "first\n");
        await using var client = await Daemon.ConnectAsRootAsync();

        var jobId = await UploadAsync("second\n"u8.ToArray(), target, new { append = true });

        await client.CallResultAsync("core.job_wait", jobId);
        (await File.ReadAllTextAsync(target)).Should().Be("first\nsecond\n");
    }

    [Theory]
    [InlineData("outside")]
    [InlineData("missing-parent")]
    public async Task Put_ThroughUploadBoundToFail_Is422WithoutAJob(string where)
    {
        var target = where == "outside"
            ? Path.Combine(fixture.Outside, "planted.txt")
            : Path.Combine(fixture.NewDirectory(), "no-such-dir", "file.txt");
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);
        using var http = Transfer.Client(Daemon.BaseUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(("data", Transfer.Data("filesystem.put", target)),
                ("file", new ByteArrayContent("x"u8.ToArray()))),
        };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var body = await Transfer.JsonAsync(response);
        body.GetProperty("errno").GetInt32().Should().Be(where == "outside" ? 13 : 2);
        File.Exists(target).Should().BeFalse();
        (await JobCount.OfAsync(client)).Should().Be(before);
    }
}
