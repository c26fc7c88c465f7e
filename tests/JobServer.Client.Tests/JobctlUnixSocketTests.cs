using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

/// <summary>On the host, no credentials: the daemon's Unix socket signs its own user and root in as root.</summary>
public sealed class JobctlUnixSocketTests(CliDaemonFixture fixture) : IClassFixture<CliDaemonFixture>
{
    [Fact]
    public async Task UnixSocketUrl_SignsInAsRootByPeerCredentials()
    {
        await using var me = await Jobctl.RunAsync(["-u", $"ws+unix://{fixture.Socket}", "call", "auth.me"]);
        await using var sessions = await Jobctl.RunAsync(
            ["-u", $"ws+unix://{fixture.Socket}", "call", "auth.sessions", """[["current","=",true]]"""]);

        me.ExitCode.Should().Be(0, me.ToString());
        JsonDocument.Parse(me.Stdout).RootElement.GetProperty("pw_name").GetString().Should().Be("root");
        var session = JsonDocument.Parse(sessions.Stdout).RootElement.EnumerateArray().Single();
        session.GetProperty("credentials").GetString().Should().Be("UNIX_SOCKET");
        session.GetProperty("username").GetString().Should().Be("root");
    }

    [Fact]
    public async Task NoUrl_UsesTheDaemonsDefaultSocket()
    {
        await using var jobctl = await Jobctl.RunAsync(["call", "auth.me"],
            new Dictionary<string, string?> { ["JobServer__DataDir"] = fixture.Daemon.DataDir });

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Should().Contain("\"pw_name\":\"root\"");
    }

    [Fact]
    public async Task UnixSocket_JobsAndTransfersWork()
    {
        string[] socket = ["-u", $"ws+unix://{fixture.Socket}"];

        await using var job = await Jobctl.RunAsync([.. socket, "call", "-j", "testjobs.echo", "over-the-socket"]);
        await using var upload = await Jobctl.RunAsync([.. socket, "upload", "testjobs.consume", "[]", "-"], stdin: "abc");
        await using var download = await Jobctl.RunAsync([.. socket, "download", "testjobs.produce", "[1000]"]);

        job.Stdout.Trim().Should().Be("over-the-socket", job.ToString());
        upload.ExitCode.Should().Be(0, upload.ToString());
        JsonDocument.Parse(upload.Stdout).RootElement.GetProperty("bytes").GetInt64().Should().Be(3);
        download.ExitCode.Should().Be(0, download.ToString());
        download.Stdout.Length.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task UserUpdate_OnTheSocket_ResetsAForgottenPassword()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var name = $"forgetful{Guid.NewGuid():N}"[..20];
        var id = (await client.CallAsync<JsonElement>("user.create", [new { username = name, password = "old-one" }]))
            .GetProperty("id").GetInt64();

        await using var reset = await Jobctl.RunAsync(
            ["-u", $"ws+unix://{fixture.Socket}", "call", "user.update", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                """{"password": "new-one"}"""]);
        await using var signIn = await Jobctl.RunAsync(["-u", fixture.Daemon.Url.ToString(), "-U", name, "-P", "new-one", "ping"]);

        reset.ExitCode.Should().Be(0, reset.ToString());
        signIn.ExitCode.Should().Be(0, signIn.ToString());
    }

    [Fact]
    public async Task LockedRoot_IsNotSignedInByTheSocket()
    {
        await using var daemon = await ClientDaemon.StartAsync();
        await using (var root = await daemon.ConnectAsRootAsync())
        {
            // Another admin first: the last unlocked FULL_ADMIN cannot be locked.
            await root.CallAsync("user.create", [new { username = "second", password = "second-pw", roles = new[] { "FULL_ADMIN" } }]);
            var rootId = (await root.CallAsync<JsonElement>("user.query", [new object[] { new object[] { "username", "=", "root" } },
                new { get = true }])).GetProperty("id").GetInt64();
            await root.CallAsync("user.update", [rootId, new { locked = true }]);
        }

        await using var viaSocket = await JobServerClient.ConnectAsync(new JobServerClientOptions
        {
            Url = new Uri($"ws+unix://{Path.Combine(daemon.DataDir, "jobserver.sock")}"),
        });

        var refused = await FluentActions.Awaiting(() => viaSocket.CallAsync<JsonElement>("auth.me"))
            .Should().ThrowAsync<JobServerCallException>();
        refused.Which.Errno.Should().Be(207, "a locked account signs in by no door, the socket included");
    }

    [RootOnlyFact]
    public async Task AnotherUser_IsNotSignedIn()
    {
        // A socket others may reach (0666, outside the private data dir): the peer check alone must keep them out.
        var folder = Directory.CreateTempSubdirectory("jobserver-public-socket-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var socket = Path.Combine(folder, "jobserver.sock");
        await using var daemon = await ClientDaemon.StartAsync($"--JobServer:UnixSocket={socket}", "--JobServer:UnixSocketMode=0666");

        await using var me = await Jobctl.RunAsync(["-u", $"ws+unix://{socket}", "call", "auth.me"], asUser: "nobody:nogroup");
        await using var ping = await Jobctl.RunAsync(["-u", $"ws+unix://{socket}", "ping"], asUser: "nobody:nogroup");
        await using var asRoot = await Jobctl.RunAsync(["-u", $"ws+unix://{socket}", "call", "auth.me"]);

        me.ExitCode.Should().Be(1, me.ToString());
        me.Stderr.Should().Contain("ENOTAUTHENTICATED");
        ping.ExitCode.Should().Be(0, "an anonymous session may still ping: " + ping);
        asRoot.ExitCode.Should().Be(0, asRoot.ToString());
    }

    [RootOnlyFact]
    public async Task AnotherUser_CannotReachThePrivateSocket()
    {
        await using var jobctl = await Jobctl.RunAsync(["-u", $"ws+unix://{fixture.Socket}", "ping"], asUser: "nobody:nogroup");

        jobctl.ExitCode.Should().Be(3, "the socket is 0600 in a 0700 data directory: " + jobctl);
    }
}
