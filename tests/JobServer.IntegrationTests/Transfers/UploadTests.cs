using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Transfers;

public sealed class UploadTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private HttpClient Http() => Transfer.Client(Daemon.BaseUri);

    private static ByteArrayContent File(int bytes) => new(Transfer.Pattern(bytes));

    private Task<HttpResponseMessage> PostAsync(HttpContent content, string user = "root",
        string password = Daemon.RootPassword) => Transfer.UploadAsync(Daemon.BaseUri, content, user, password);

    [Fact]
    public async Task SeedCurlCommand_Verbatim_UploadsIntoTheJob()
    {
        var file = Path.GetTempFileName();
        await System.IO.File.WriteAllBytesAsync(file, Transfer.Pattern(500_000));
        var curl = Process.Start(new ProcessStartInfo("curl")
        {
            ArgumentList =
            {
                "-s", "-X", "POST", "-u", $"root:{Daemon.RootPassword}", "-H", "Content-Type: multipart/form-data",
                "-F", "data={\"method\": \"testjobs.consume\", \"params\": []}", "-F", $"file=@{file}",
                new Uri(Daemon.BaseUri, "/_upload/").ToString(),
            },
            RedirectStandardOutput = true,
        })!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        System.IO.File.Delete(file);

        output.Should().MatchRegex("""^\{"job_id":\d+\}$""");
        var jobId = long.Parse(output[10..^1], System.Globalization.CultureInfo.InvariantCulture);
        await using var client = await Daemon.ConnectAsRootAsync();
        var result = await client.CallResultAsync("core.job_wait", jobId);
        result.GetProperty("bytes").GetInt64().Should().Be(500_000);
        result.GetProperty("sha256").GetString().Should().Be(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Transfer.Pattern(500_000))));
    }

    [Fact]
    public async Task Upload_IntoAMethodThatIsNotAJob_Is412AndRunsNothing()
    {
        // core.set_options acts on a connection, which /_upload has not: it is refused as not a job, unrun.
        using var response = await PostAsync(Transfer.Multipart(
            ("data", Transfer.Data("core.set_options", new { legacy_jobs = false })), ("file", File(10))));

        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        var body = await Transfer.JsonAsync(response);
        body.GetProperty("errno").GetInt32().Should().Be(22);
        body.GetProperty("message").GetString().Should().Be("[EINVAL] core.set_options is not a job");
    }

    [Fact]
    public async Task Upload_IntoExecRun_BecomesStdin()
    {
        using var response = await PostAsync(Transfer.Multipart(
            ("data", Transfer.Data("exec.run", "sh", new[] { "-c", "wc -c" })), ("file", File(12_345))));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var jobId = (await Transfer.JsonAsync(response)).GetProperty("job_id").GetInt64();
        await using var client = await Daemon.ConnectAsRootAsync();
        (await client.CallResultAsync("core.job_wait", jobId)).GetProperty("stdout_tail").GetString()!.Trim()
            .Should().Be("12345");
    }

    [Fact]
    public async Task Upload_PartsInTheWrongOrderOrMissing_Are405()
    {
        (await PostAsync(Transfer.Multipart(("file", File(10)), ("data", Transfer.Data("testjobs.consume")))))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await PostAsync(Transfer.Multipart(("data", Transfer.Data("testjobs.consume")))))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await PostAsync(Transfer.Multipart(("data", Transfer.Data("testjobs.consume")), ("other", File(10)))))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        var empty = await PostAsync(new StringContent("--b--\r\n", Encoding.ASCII, "multipart/form-data"));
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a multipart body needs a boundary");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Upload_AnyVerbButPost_Is405WithAllowPost(string verb)
    {
        using var http = Http();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(verb), "/_upload"));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Equal("POST");
        (await Transfer.JsonAsync(response)).GetProperty("message").GetString().Should().Contain("POST");
    }

    [Fact]
    public async Task Upload_BadDataPart_Is400Or422()
    {
        (await PostAsync(Transfer.Multipart(("data", new StringContent("{nope")), ("file", File(1)))))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var unknown = await PostAsync(Transfer.Multipart(("data", Transfer.Data("no.such")), ("file", File(1))));
        unknown.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Transfer.JsonAsync(unknown)).GetProperty("errno").GetInt32().Should().Be(201);
        (await PostAsync(Transfer.Multipart(("data", Transfer.Data("testjobs.echo", 1)), ("file", File(1)))))
            .StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, "testjobs.echo takes no input pipe");
    }

    [Fact]
    public async Task Upload_Authentication_401And403()
    {
        var content = () => Transfer.Multipart(("data", Transfer.Data("testjobs.consume")), ("file", File(1)));
        using var http = Http();
        (await http.PostAsync("/_upload", content())).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await PostAsync(content(), password: "wrong")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await using var client = await Daemon.ConnectAsRootAsync();
        var (jobId, _) = await Transfer.OfferAsync(client, "testjobs.produce", [1], "x");
        var downloadToken = (await client.CallResultAsync("auth.generate_token", 600, new { job = jobId })).GetString();
        (await http.PostAsync($"/_upload?auth_token={downloadToken}", content())).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var loginToken = (await client.CallResultAsync("auth.generate_token")).GetString();
        (await http.PostAsync($"/_upload?auth_token={loginToken}", content())).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Upload_PlainUserCallingAnAdminJob_Is403()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CallAsync("user.create", new { username = "uploader", password = "uploader-pw", full_name = "U", roles = Array.Empty<string>() });

        var response = await PostAsync(Transfer.Multipart(
            ("data", Transfer.Data("exec.run", "sh")), ("file", File(1))), "uploader", "uploader-pw");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Upload_OverTheConfiguredLimit_Is413()
    {
        await using var daemon = await Daemon.StartAsync([.. JobsDaemon.Args, "--JobServer:Transfers:MaxUploadBytes=100000"]);
        using var http = Transfer.Client(daemon.BaseUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(("data", Transfer.Data("testjobs.consume")), ("file", File(500_000))),
        };
        request.Headers.Authorization = Transfer.Basic("root", Daemon.RootPassword);

        (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ClientDisconnectsMidUpload_JobFailsWithAClearError()
    {
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Daemon.BaseUri.Host, Daemon.BaseUri.Port);
        var stream = tcp.GetStream();
        var head = "--XYZ\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" +
                   "{\"method\": \"testjobs.consume\", \"params\": []}\r\n" +
                   "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n";
        var auth = Transfer.Basic("root", Daemon.RootPassword).Parameter;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /_upload HTTP/1.1\r\nHost: {Daemon.BaseUri.Authority}\r\nAuthorization: Basic {auth}\r\n" +
            "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 1000000\r\n\r\n" + head));
        await stream.WriteAsync(new byte[100_000]);

        var running = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" &&
            m.GetProperty("fields").GetProperty("method").GetString() == "testjobs.consume" &&
            m.GetProperty("fields").GetProperty("state").GetString() == "RUNNING");
        tcp.Client.Close();

        var failed = await watcher.StateAsync(running.GetProperty("id").GetInt64(), "FAILED");
        failed.GetProperty("error").GetString().Should().Be("The upload was interrupted: the client disconnected");
    }
}
