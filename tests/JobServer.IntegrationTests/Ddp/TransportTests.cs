using System.Net.WebSockets;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

public sealed class TransportTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task MalformedJson_ClosesWith1007()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendTextAsync("{not json");

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public async Task BinaryFrame_ClosesWith1003()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendBinaryAsync([1, 2, 3]);

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidMessageType);
        client.CloseDescription.Should().Contain("Invalid websocket message type");
    }

    [Fact]
    public async Task OversizeMessage_Anonymous_ClosesWith1007()
    {
        await using var client = await Daemon.ConnectAsync();
        var big = new string('x', 9000);
        await client.SendAsync(new { msg = "method", id = "big", method = "core.ping", @params = new[] { big } });

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        client.CloseDescription.Should().Be("Anonymous connection max message length is 8 kB");
    }

    [Fact]
    public async Task OversizeMessage_Authenticated_ClosesWith1009()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        // 9 kB is fine once authenticated...
        (await client.CallErrorAsync("core.ping", new string('x', 9000))).GetProperty("error").GetInt32().Should().Be(11);

        // ...but more than 64 kB is not.
        await client.SendAsync(new { msg = "method", id = "big", method = "core.ping", @params = new[] { new string('x', 70_000) } });
        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    [Fact]
    public async Task MessageWithoutMsg_ClosesWith1011()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendTextAsync("""{"id":"1"}""");

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InternalServerError);
    }

    [Fact]
    public async Task Subscribe_UnknownCollection_AnswersNosub()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await client.SendAsync(new { msg = "sub", id = "s1", name = "no.such" });

        var nosub = await client.ReceiveAsync(m => m.Msg() == "nosub");

        nosub.GetProperty("id").GetString().Should().Be("s1");
        nosub.GetProperty("error").GetProperty("reason").GetString().Should().Be("Subscription 'no.such' not found");
    }

    [Fact]
    public async Task Subscribe_Wildcard_Anonymous_IsNotAuthorized()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendAsync(new { msg = "sub", id = "s2", name = "*" });

        var refused = await client.ResultOfAsync("s2");

        refused.GetProperty("error").GetProperty("error").GetInt32().Should().Be(13);
    }

    [Fact]
    public async Task Subscribe_Wildcard_Authenticated_IsReady()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await client.SendAsync(new { msg = "sub", id = "s3", name = "*" });

        var ready = await client.ReceiveAsync(m => m.Msg() == "ready");

        ready.GetProperty("subs")[0].GetString().Should().Be("s3");
    }
}
