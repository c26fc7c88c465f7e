using System.Net;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.IntegrationTests.Transfers;

public sealed class DownloadWindowTests
{
    [Fact]
    public async Task DownloadNotStartedWithin60Seconds_JobIsAbortedAndTheUrlIsGone()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var daemon = await Daemon.StartAsync(JobsDaemon.Args, time: clock);
        await using var client = await daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await daemon.ConnectAsRootAsync());
        using var http = Transfer.Client(daemon.BaseUri);
        var (jobId, url) = await Transfer.OfferAsync(client, "testjobs.endless", [], "x.bin");
        await watcher.StateAsync(jobId, "RUNNING");

        clock.Advance(TimeSpan.FromSeconds(59));
        (await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", jobId } }))[0]
            .GetProperty("state").GetString().Should().Be("RUNNING");
        clock.Advance(TimeSpan.FromSeconds(2));

        var aborted = await watcher.StateAsync(jobId, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Be("The download was not started within 60 s");
        (await http.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Gone);
    }
}
