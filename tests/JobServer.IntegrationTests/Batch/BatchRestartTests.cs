using System.Net;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>Batch jobs are stored: they and their ids survive a daemon restart.</summary>
public sealed class BatchRestartTests
{
    [Fact]
    public async Task Jobs_SurviveARestart_AndIdsContinue()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long id;
            await using (var first = await Daemon.StartAsync(dataDir: dataDir))
            {
                using var client = BatchClient.AsRoot(first);
                id = (await client.CreateAsync(BatchClient.Reboot(null, "r1", "r2"))).GetProperty("id").GetInt64();
            }

            await using var second = await Daemon.StartAsync(dataDir: dataDir);
            using var again = BatchClient.AsRoot(second);
            var job = await again.GetOkAsync($"/batch/jobs/{id}?collection=true");
            job.GetProperty("totalCount").GetInt32().Should().Be(2);
            job.GetProperty("collection").GetArrayLength().Should().Be(2);
            var next = (await again.CreateAsync(BatchClient.Reboot(null, "r3"))).GetProperty("id").GetInt64();
            next.Should().BeGreaterThan(id);
            (await again.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}")).Status.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
