using System.Net;
using System.Security.Cryptography;
using System.Text;
using JobServer.IntegrationTests.Filesystem;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Transfers;

/// <summary>
/// The multipart body of <c>POST /_upload</c> through a real daemon (issue 12 items 13, 14): boundary look-alikes
/// inside a file are stored, byte for byte; a malformed body is 400 with a JSON message and changes nothing.
/// </summary>
public sealed class UploadMultipartTests(FilesystemDaemon fixture) : IClassFixture<FilesystemDaemon>
{
    private const string Boundary = "JobServerBoundary42";

    private Daemon Daemon => fixture.Daemon;

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string DataPart(string target) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" +
        $"{{\"method\": \"filesystem.put\", \"params\": [\"{target}\"]}}\r\n";

    private static string FilePartHead =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n" +
        "Content-Type: application/octet-stream\r\n\r\n";

    private static byte[] Body(string target, byte[] file) =>
        [.. Ascii(DataPart(target) + FilePartHead), .. file, .. Ascii($"\r\n--{Boundary}--\r\n")];

    private async Task<HttpResponseMessage> PostRawAsync(HttpClient http, byte[] body,
        string contentType = $"multipart/form-data; boundary={Boundary}")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload") { Content = content };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);
        using var timeout = new CancellationTokenSource(WebSocketTestClient.DefaultTimeout);
        return await http.SendAsync(request, timeout.Token);
    }

    private async Task UploadAndCompareAsync(HttpClient http, byte[] file)
    {
        var target = Path.Combine(fixture.NewDirectory(), "stored.bin");

        using var response = await PostRawAsync(http, Body(target, file));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var jobId = (await Transfer.JsonAsync(response)).GetProperty("job_id").GetInt64();
        await using var client = await Daemon.ConnectAsRootAsync();
        await client.CallResultAsync("core.job_wait", jobId);
        var stored = await File.ReadAllBytesAsync(target);
        stored.Length.Should().Be(file.Length);
        SHA256.HashData(stored).Should().Equal(SHA256.HashData(file));
    }

    [Theory]
    [InlineData($"hello\r\n--{Boundary} and then more text, which used to be dropped")]
    [InlineData($"\r\n--{Boundary}x\r\n--{Boundary}-\r\n--{Boundary} \t.\r\n--{Boundary}\r")]
    [InlineData($"--{Boundary}\r\n at the very start")]
    public async Task Upload_FileWithBoundaryLookAlikes_IsStoredWhole(string content)
    {
        using var http = Transfer.Client(Daemon.BaseUri);
        await UploadAndCompareAsync(http, Ascii(content));
    }

    [Fact]
    public async Task Upload_LargeFileFullOfLookAlikes_StoredSha256EqualsSent()
    {
        var file = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        var lookAlike = Ascii($"\r\n--{Boundary}\rx");
        for (var at = 17; at + lookAlike.Length < file.Length; at += 65_521)
        {
            lookAlike.CopyTo(file, at);
        }

        using var http = Transfer.Client(Daemon.BaseUri);
        await UploadAndCompareAsync(http, file);
    }

    public static TheoryData<string, byte[], string> MalformedBodies() => new()
    {
        { "empty body", [], "The request body is empty" },
        { "boundary mismatch", Ascii(DataPart("/x").Replace(Boundary, "Other", StringComparison.Ordinal) + "--Other--\r\n"),
            "has no boundary line" },
        { "data part without an end", Ascii(DataPart("/x")), "before its closing boundary" },
        { "body ends in headers", Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=\"da"), "inside a part's headers" },
        { "header line over 16 KB", Ascii($"--{Boundary}\r\nX-Big: {new string('a', 17 * 1024)}\r\n\r\n{{}}\r\n--{Boundary}--\r\n"),
            "longer than 16384 bytes" },
        { "17 header lines", Ascii($"--{Boundary}\r\n" + string.Concat(Enumerable.Range(0, 17).Select(i => $"X-H{i}: v\r\n")) +
                                   $"\r\n{{}}\r\n--{Boundary}--\r\n"), "more than 16 header lines" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Upload_MalformedBody_Is400WithAJsonMessageAndNoJob(string what, byte[] body, string message)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var jobs = await Transfer.JobCountAsync(client);
        using var http = Transfer.Client(Daemon.BaseUri);

        using var response = await PostRawAsync(http, body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, what);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await Transfer.JsonAsync(response)).GetProperty("message").GetString().Should().Contain(message);
        (await Transfer.JobCountAsync(client)).Should().Be(jobs, "a malformed body starts no job");
        await UploadAndCompareAsync(http, Ascii("the daemon and the connection still work"));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    [InlineData("application/json")]
    public async Task Upload_ContentTypeWithoutABoundary_Is400(string contentType)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var jobs = await Transfer.JobCountAsync(client);
        using var http = Transfer.Client(Daemon.BaseUri);

        using var response = await PostRawAsync(http, Body("/x", Ascii("x")), contentType);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Transfer.JsonAsync(response)).GetProperty("message").GetString().Should().Contain("multipart/form-data");
        (await Transfer.JobCountAsync(client)).Should().Be(jobs);
    }

    [Fact]
    public async Task Upload_FileHoldingARealDelimiterLine_Is400NotATruncatedFile()
    {
        var directory = fixture.NewDirectory();
        var file = Ascii($"the client chose a boundary its file contains\r\n--{Boundary}\r\nX-Not: a header\r\n\r\nrest");

        using var http = Transfer.Client(Daemon.BaseUri);
        using var response = await PostRawAsync(http, Body(Path.Combine(directory, "f.bin"), file));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Transfer.JsonAsync(response)).GetProperty("message").GetString().Should().Contain("Another part follows");
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty("nothing half-written is left");
    }

    [Fact]
    public async Task Upload_FilePartCutShort_Is400AndTheJobFailsWithoutWritingTheFile()
    {
        var directory = fixture.NewDirectory();
        var target = Path.Combine(directory, "cut.bin");
        await using var client = await Daemon.ConnectAsRootAsync();
        using var http = Transfer.Client(Daemon.BaseUri);

        // The body ends inside the file: no closing boundary. The job has started by then; it must fail, not store.
        using var response = await PostRawAsync(http, [.. Ascii(DataPart(target) + FilePartHead), .. new byte[200_000]]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var message = (await Transfer.JsonAsync(response)).GetProperty("message").GetString();
        message.Should().Contain("before its closing boundary").And.Contain("failed");
        var jobId = long.Parse(message![(message.LastIndexOf("job ", StringComparison.Ordinal) + 4)..].Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture);
        var error = await client.CallErrorAsync("core.job_wait", jobId);
        error.GetProperty("reason").GetString().Should().Contain("before its closing boundary");
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty("nothing half-written is left");
        await UploadAndCompareAsync(http, Ascii("still fine"));
    }
}
