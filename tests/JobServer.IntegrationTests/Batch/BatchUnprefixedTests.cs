using System.Net;
using System.Net.Sockets;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary><c>JobServer:Batch:Urls</c>: the seed's literal <c>/jobs</c> paths on their own listener, and only there.</summary>
public sealed class BatchUnprefixedTests
{
    [Fact]
    public async Task BatchListener_ServesTheSeedsPathsWithoutThePrefix()
    {
        var port = FreePort();
        await using var daemon = await Daemon.StartAsync([$"--JobServer:Batch:Urls=http://127.0.0.1:{port}"]);
        using var main = BatchClient.AsRoot(daemon);
        using var seed = new BatchClient(new Uri($"http://127.0.0.1:{port}"), "root", Daemon.RootPassword);

        var job = await seed.CreateAsync(BatchClient.Reboot(null, "u1"));
        var id = job.GetProperty("id").GetInt64();

        (await seed.GetOkAsync($"/jobs/{id}")).GetProperty("totalCount").GetInt32().Should().Be(1);
        (await main.GetOkAsync($"/batch/jobs/{id}")).GetProperty("id").GetInt64().Should().Be(id);
        (await main.SendAsync(HttpMethod.Get, $"/jobs/{id}")).Status.Should().Be(HttpStatusCode.NotFound,
            "the unprefixed copy is served on the batch listener only");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
