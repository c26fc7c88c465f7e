using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

public sealed class HandshakeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Connect_Version1_AnswersConnectedWithUuidSession()
    {
        await using var client = await Daemon.ConnectAsync(handshake: false);
        await client.SendAsync(new { msg = "connect", version = "1", support = new[] { "1" } });

        var connected = await client.ReceiveAsync(m => m.Msg() != null);

        connected.Msg().Should().Be("connected");
        Guid.TryParse(connected.GetProperty("session").GetString(), out _).Should().BeTrue();
    }

    [Fact]
    public async Task Connect_MeteorSupportListAndSession_IsAccepted()
    {
        await using var client = await Daemon.ConnectAsync(handshake: false);
        await client.SendAsync(new { msg = "connect", version = "1", session = "old", support = new[] { "1", "pre2", "pre1" } });

        (await client.ReceiveAsync(m => m.Msg() != null)).Msg().Should().Be("connected");
    }

    [Fact]
    public async Task Connect_OtherVersion_AnswersFailedSuggestingVersion1()
    {
        await using var client = await Daemon.ConnectAsync(handshake: false);
        await client.SendAsync(new { msg = "connect", version = "pre2", support = new[] { "pre2", "1" } });

        var failed = await client.ReceiveAsync(m => m.Msg() != null);

        failed.Msg().Should().Be("failed");
        failed.GetProperty("version").GetString().Should().Be("1");
    }

    [Fact]
    public async Task Method_BeforeConnect_AnswersFailedAndKeepsTheSocketOpen()
    {
        await using var client = await Daemon.ConnectAsync(handshake: false);
        await client.SendAsync(new { msg = "method", id = "1", method = "core.ping", @params = Array.Empty<object>() });

        (await client.ReceiveAsync(m => m.Msg() != null)).Msg().Should().Be("failed");

        await client.SendAsync(new { msg = "connect", version = "1", support = new[] { "1" } });
        (await client.ReceiveAsync(m => m.Msg() != null)).Msg().Should().Be("connected");
    }

    [Fact]
    public async Task Ping_WithAndWithoutId_AnswersPongBeforeAuthentication()
    {
        await using var client = await Daemon.ConnectAsync();

        await client.SendAsync(new { msg = "ping", id = "p1" });
        var pong = await client.ReceiveAsync(m => m.Msg() == "pong");
        pong.GetProperty("id").GetString().Should().Be("p1");

        await client.SendAsync(new { msg = "ping" });
        var bare = await client.ReceiveAsync(m => m.Msg() == "pong");
        bare.TryGetProperty("id", out _).Should().BeFalse();
    }

    [Fact]
    public async Task UnknownMessageType_AnswersDdpErrorAndKeepsConnection()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendAsync(new { msg = "frobnicate" });

        var error = await client.ReceiveAsync(m => m.Msg() == "error");
        error.GetProperty("reason").GetString().Should().Be("Bad request");
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
    }
}
