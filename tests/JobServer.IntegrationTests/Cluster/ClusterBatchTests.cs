using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Batch;
using JobServer.IntegrationTests.Support;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Batch jobs on a cluster (issues 16 and 18): the batch tables are in the shared database, and a batch job is
/// driven by the node that runs its <c>batch.run</c> job, so when that node dies the node adopting its jobs takes
/// the batch job over and its agents get their tasks there.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBatchTests
{
    [PostgresOnlyFact]
    public async Task KilledNode_ItsBatchJob_IsDeliveredByTheNodeThatAdoptsIt()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        using var onA = RootHttp(a);
        var created = await PostAsync(onA, BatchClient.Reboot(null, "takeover-dev"));
        var b = await cluster.StartAsync("node-b");
        await using var agent = await RegisterAgentAsync(b, "takeover-dev");

        await a.CrashAsync();

        var task = await agent.NextTaskAsync();
        task.Id().Should().Be(created.GetProperty("collection")[0].GetInt64());
        (await agent.CallResultAsync("batch.agent.ack", task.Id())).GetBoolean().Should().BeTrue();
        (await agent.CallResultAsync("batch.agent.result", task.Id(), new { status = 200 })).GetBoolean().Should().BeTrue();
        using var onB = RootHttp(b);
        var job = await onB.GetFromJsonAsync<JsonElement>($"/batch/jobs/{created.GetProperty("id").GetInt64()}");
        job.GetProperty("status").GetString().Should().Be("resolved");
    }

    private static HttpClient RootHttp(DaemonProcess daemon)
    {
        var http = new HttpClient { BaseAddress = daemon.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{ProbeCredentials.RootPassword}")));
        return http;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/batch/jobs", body);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.Should().BeTrue(job.ToString());
        return job;
    }

    private static async Task<DdpClient> RegisterAgentAsync(DaemonProcess daemon, string destination)
    {
        await using var root = await daemon.ConnectAsRootAsync();
        var key = (await root.CallResultAsync("api_key.create", new { name = destination, roles = new[] { "BATCH_AGENT" } }))
            .GetProperty("key").GetString()!;
        var agent = await daemon.ConnectAsync();
        (await agent.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeTrue();
        (await agent.CallResultAsync("batch.agent.register", destination)).GetBoolean().Should().BeTrue();
        return agent;
    }
}
