using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Config;

/// <summary>
/// <c>config.save</c> through <c>core.download</c> and <c>config.upload</c> through <c>/_upload</c>, on a live
/// daemon. Each test has its own daemon: an upload replaces the accounts.
/// </summary>
public sealed class ConfigBackupTests
{
    private const string UserPassword = "a-password-for-tests";

    [SqliteOnlyFact("config.save and config.upload exchange SQLite files; on PostgreSQL they are refused (docs/cluster.md)")]
    public async Task SaveThenUpload_RoundTrip_RestoresTheSavedAccounts()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        var saved = await SaveAsync(daemon, root);
        await CreateUserAsync(root, "later");

        var jobId = await UploadAsync(daemon, saved);

        (await root.CallAsync("core.job_wait", jobId)).TryGetProperty("error", out var error).Should()
            .BeFalse($"the upload should succeed, got {error}");
        Usernames(await root.CallResultAsync("user.query")).Should().Equal("root");
        await using var again = await daemon.ConnectAsRootAsync();
        (await again.CallAsync("auth.login", "later", UserPassword)).GetProperty("result").GetBoolean().Should().BeFalse();
        Directory.EnumerateFiles(Path.Combine(daemon.DataDir, "backups"), "jobserver-*.db").Should().ContainSingle();
    }

    [SqliteOnlyFact("config.save and config.upload exchange SQLite files; on PostgreSQL they are refused (docs/cluster.md)")]
    public async Task Upload_Garbage_FailsTheJobAndChangesNothing()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        await CreateUserAsync(root, "present");

        var jobId = await UploadAsync(daemon, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("garbage ", 5000))));

        var error = await root.CallErrorAsync("core.job_wait", jobId);
        error.GetProperty("reason").GetString().Should().Contain("The uploaded file is not a JobServer database");
        var job = (await root.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "=", jobId } }))[0];
        job.GetProperty("state").GetString().Should().Be("FAILED");
        job.GetProperty("exc_info").GetProperty("type").GetString().Should().Be("VALIDATION");
        Usernames(await root.CallResultAsync("user.query")).Should().Equal("root", "present");
        Directory.Exists(Path.Combine(daemon.DataDir, "backups")).Should().BeFalse();
    }

    [SqliteOnlyFact("config.save and config.upload exchange SQLite files; on PostgreSQL they are refused (docs/cluster.md)")]
    public async Task Save_DownloadNeverStarted_IsAbortedWhenTheWindowPasses()
    {
        // The saved database (a few dozen KiB) fits in the 1 MiB pipe buffer: the job's writes never wait for the
        // client, and before issue 12's fix it ended SUCCESS "Saved" with nobody having downloaded it.
        await using var daemon = await Daemon.StartAsync(["--JobServer:Transfers:DownloadStartSeconds=2"]);
        await using var root = await daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await daemon.ConnectAsRootAsync());
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };

        var download = await root.CallResultAsync("core.download", "config.save", new object[] { new { } }, "x.db");
        var jobId = download[0].GetInt64();
        var ended = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" &&
            m.GetProperty("id").GetInt64() == jobId &&
            m.GetProperty("fields").GetProperty("state").GetString() is "SUCCESS" or "FAILED" or "ABORTED");

        ended.GetProperty("fields").GetProperty("state").GetString().Should().Be("ABORTED");
        ended.GetProperty("fields").GetProperty("error").GetString().Should()
            .Be("The download was not started within 2 s");
        (await http.GetAsync(download[1].GetString())).StatusCode.Should().Be(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Save_UnknownOption_IsRefusedWithoutAJob()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("core.download", "config.save",
            new object[] { new Dictionary<string, object> { ["bogus"] = 1 } }, "x.db");

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
    }

    [Fact]
    public async Task Save_ReadonlyAdmin_IsNotAuthorized()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        await CreateUserAsync(root, "reader", "READONLY_ADMIN");
        await using var reader = await daemon.ConnectAsync();
        (await reader.CallResultAsync("auth.login", "reader", UserPassword)).GetBoolean().Should().BeTrue();

        var error = await reader.CallErrorAsync("core.download", "config.save", new object[] { new { } }, "x.db");

        error.GetProperty("error").GetInt32().Should().Be(13, "EACCES");
    }

    /// <summary><c>core.download("config.save", [{}], "x.db")</c>, then GET the URL it answers.</summary>
    private static async Task<byte[]> SaveAsync(Daemon daemon, DdpClient root)
    {
        var download = await root.CallResultAsync("core.download", "config.save", new object[] { new { } }, "x.db");
        var jobId = download[0].GetInt64();
        var url = download[1].GetString()!;
        url.Should().StartWith($"/_download/{jobId}?auth_token=");
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        var bytes = await http.GetByteArrayAsync(url);
        await root.CallAsync("core.job_wait", jobId);
        bytes.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8).Should().BeTrue("the file is an SQLite database");
        return bytes;
    }

    /// <summary>POST <c>/_upload</c>: the <c>data</c> part first, then <c>file</c>, as root with Basic auth.</summary>
    private static async Task<long> UploadAsync(Daemon daemon, byte[] file)
    {
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        using var content = new MultipartFormDataContent
        {
            { new StringContent("""{"method":"config.upload","params":[]}"""), "data" },
            { new ByteArrayContent(file), "file", "backup.db" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload/") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{Daemon.RootPassword}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetInt64();
    }

    private static Task<JsonElement> CreateUserAsync(DdpClient admin, string username, params string[] roles) =>
        admin.CallResultAsync("user.create",
            new { username, password = UserPassword, full_name = "", roles, locked = false });

    private static string[] Usernames(JsonElement rows) =>
        rows.EnumerateArray().Select(row => row.GetProperty("username").GetString()!).ToArray();
}
