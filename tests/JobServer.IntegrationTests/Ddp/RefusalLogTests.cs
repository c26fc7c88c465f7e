using System.Net.WebSockets;

namespace JobServer.IntegrationTests.Ddp;

/// <summary>
/// Issue 12 item 16: a refused message used to cost 3.6 KB of error log (an unhandled exception and an HTTP
/// 500) per 40-byte anonymous message. Now: one short warning each, at most five per address per minute.
/// </summary>
public sealed class RefusalLogTests
{
    [Fact]
    public async Task ManyLoneSurrogateMessages_LogAtMostFiveShortWarnings_AndNoError()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            await CountRefusalsAsync(dataDir);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task CountRefusalsAsync(string dataDir)
    {
        await using var daemon = await DaemonProcess.StartAsync(dataDir);
        await using var client = await DdpClient.ConnectAsync(daemon.WebSocketUri);

        for (var i = 0; i < 50; i++)
        {
            await client.SendTextAsync("""{"msg":"\ud800"}""");
        }

        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        // Closing with bad JSON logs one line after all the refusals: the barrier to count them at.
        await client.SendTextAsync("{not json");
        await client.WaitClosedAsync();
        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        (await daemon.Log.WaitForAsync(l => l.Contains("with 1007", StringComparison.Ordinal), TimeSpan.FromSeconds(10)))
            .Should().BeTrue();

        var refusals = daemon.Log.Lines.Where(l => l.Contains("Refused a DDP message", StringComparison.Ordinal)).ToList();
        refusals.Should().HaveCount(5);
        refusals.Should().OnlyContain(l => l.Length < 200);
        daemon.Log.ErrorEntries.Should().Be(0);
        daemon.Log.Lines.Should().NotContain(l => l.Contains("responded 500", StringComparison.Ordinal));
    }
}
