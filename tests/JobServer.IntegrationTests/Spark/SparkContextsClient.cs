using System.Net;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;

namespace JobServer.IntegrationTests.Spark;

/// <summary><c>/contexts</c> as curl drives it, and waits on what a context shows.</summary>
internal static class SparkContextsClient
{
    public const string TestJobs = "JobServer.TestPlugin.Spark.";

    /// <summary><c>curl -d "&lt;body&gt;" -X POST "…/contexts/&lt;name&gt;?&lt;query&gt;"</c>.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(RestClient client, string name,
        string query = "", string body = "")
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.SendAsync(HttpMethod.Post, $"/contexts/{name}?{query}", content);
        return (response.StatusCode, await RestClient.BodyOf(response));
    }

    /// <summary>Creates the context and says so, or fails the test.</summary>
    public static async Task<JsonElement> CreatedAsync(RestClient client, string name, string query = "")
    {
        var (status, body) = await CreateAsync(client, name, query);
        status.Should().Be(HttpStatusCode.OK, body.GetRawText());
        var (_, info) = await client.GetAsync($"/contexts/{name}");
        return info;
    }

    /// <summary>Polls <c>GET /contexts/&lt;name&gt;</c> until <paramref name="until"/> holds (bounded: a stuck context fails the test).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Info)> WaitForAsync(RestClient client, string name,
        Func<HttpStatusCode, JsonElement, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var (status, info) = await client.GetAsync($"/contexts/{name}");
            if (until(status, info))
            {
                return (status, info);
            }

            DateTimeOffset.UtcNow.Should().BeBefore(deadline, $"context {name} never got there: {info.GetRawText()}");
            await Task.Delay(50);
        }
    }

    public static Task<(HttpStatusCode Status, JsonElement Info)> WaitForRunningJobsAsync(RestClient client, string name,
        int running, int queued = 0) =>
        WaitForAsync(client, name, (status, info) => status == HttpStatusCode.OK &&
            info.GetProperty("running-jobs").GetInt32() == running && info.GetProperty("queued-jobs").GetInt32() == queued);

    public static async Task<string[]> NamesAsync(RestClient client)
    {
        var (status, names) = await client.GetAsync("/contexts");
        status.Should().Be(HttpStatusCode.OK);
        return [.. names.EnumerateArray().Select(n => n.GetString()!)];
    }
}
