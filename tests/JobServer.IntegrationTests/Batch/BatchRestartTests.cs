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
            File.Exists(Path.Combine(dataDir, "batch.db")).Should().Be(!TestDatabases.UsePostgres,
                "on PostgreSQL the batch tables live in the shared database");
            (await again.SendAsync(HttpMethod.Delete, $"/batch/jobs/{id}")).Status.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task ItsOrdinaryJob_RunsOnAfterARestart_AndStillAgreesWithIt()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long batch;
            long job;
            await using (var first = await Daemon.StartAsync(dataDir: dataDir))
            {
                await using var events = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
                using var client = BatchClient.AsRoot(first);
                batch = (await client.CreateAsync(BatchClient.Reboot(null, "restart-offline"))).GetProperty("id").GetInt64();
                job = await BatchOrdinaryJobTests.RunJobAsync(events, batch);
                await events.StateAsync(job, "RUNNING");
            }

            await using var second = await Daemon.StartAsync(dataDir: dataDir);
            await using var again = await JobEvents.SubscribeAsync(await second.ConnectAsRootAsync());
            (await again.Client.CallResultAsync("core.get_jobs", new object[] { new object[] { "id", "=", job } },
                new { get = true })).GetProperty("state").GetString().Should().BeOneOf(["WAITING", "RUNNING"],
                "the batch job is unfinished, so its job is not FAILED by the restart");
            using var rest = BatchClient.AsRoot(second);
            (await rest.SendAsync(HttpMethod.Delete, $"/batch/jobs/{batch}")).Status.Should().Be(HttpStatusCode.OK);
            await again.StateAsync(job, "ABORTED");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
