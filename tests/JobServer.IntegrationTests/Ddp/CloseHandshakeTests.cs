using System.Net.WebSockets;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

/// <summary>
/// Issue 12 item 18: when a message closes the connection while the client still has more in flight, the
/// server used to dispose the socket with the client's frames unread; TCP then reset the connection and the
/// client saw 1006 instead of the close code in up to 35 % of trials. The server now finishes the handshake.
/// </summary>
public sealed class CloseHandshakeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const int Trials = 30;

    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("/websocket")]
    [InlineData("/api/current")]
    public async Task OversizeFrameFollowedByABurst_ClientAlwaysReadsTheCloseCode(string path)
    {
        var oversize = $$"""{"msg":"ping","id":"{{new string('x', 1024 * 1024)}}"}""";
        var burst = $$"""{"msg":"ping","id":"{{new string('y', 4000)}}"}""";
        var lost = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            await using WebSocketTestClient client = path == "/websocket"
                ? await Daemon.ConnectAsync()
                : await Daemon.ConnectJsonRpcAsync();

            // Answers queued ahead of the close frame keep the client reading while the server hangs up.
            await SendBurstAsync(client, burst, 300);
            await client.SendTextAsync(oversize);
            await SendBurstAsync(client, burst, 3000);
            await client.WaitClosedAsync();

            if (client.CloseStatus != WebSocketCloseStatus.InvalidPayloadData)
            {
                lost.Add($"trial {trial}: {client.CloseStatus?.ToString() ?? "no close frame (1006)"}");
            }
        }

        lost.Should().BeEmpty();
    }

    /// <summary>
    /// Keeps sending until the server's close arrives (sends then fail, as they should), bounded: the frames
    /// that reach the server after it decided to close are what used to reset the connection.
    /// </summary>
    private static async Task SendBurstAsync(WebSocketTestClient client, string message, int most)
    {
        try
        {
            for (var i = 0; i < most && client.CloseStatus is null; i++)
            {
                await client.SendTextAsync(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
            // The close has arrived; the rest of the burst has nowhere to go.
        }
    }
}
