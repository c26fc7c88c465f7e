using System.Net.WebSockets;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_ClosesOpenSocketsWithACloseFrame()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var client = await daemon.ConnectAsync();
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");

        await daemon.StopAsync();
        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        client.CloseDescription.Should().Be("Server shutting down");
    }
}
