using System.Net;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Spark;

/// <summary><c>/jobs</c> as curl drives it: <c>-d</c> bodies (form-encoded, as curl sends them), the binaries uploaded.</summary>
internal static class SparkJobsClient
{
    public const string WordCount = "spark.jobserver.WordCountExample";

    /// <summary>The built examples/WordCount uploaded as <paramref name="name"/> (a new version when it exists).</summary>
    public static Task UploadWordCountAsync(RestClient client, string name = "test") =>
        UploadAsync(client, name, Path.Combine(RepositoryPaths.ExampleOutput("WordCount"), "WordCount.dll"));

    /// <summary>The test plugin (its Spark jobs: <c>JobServer.TestPlugin.Spark.*</c>) uploaded as <paramref name="name"/>.</summary>
    public static Task UploadTestJobsAsync(RestClient client, string name = "testjobs") =>
        UploadAsync(client, name, Path.Combine(RepositoryPaths.TestPluginOutput, "JobServer.TestPlugin.dll"));

    /// <summary><c>curl -d "&lt;body&gt;" "…/jobs?&lt;query&gt;"</c>.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RestClient client, string query, string body = "")
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.SendAsync(HttpMethod.Post, "/jobs?" + query, content);
        return (response.StatusCode, await RestClient.BodyOf(response));
    }

    /// <summary>Polls <c>GET /jobs/&lt;id&gt;</c> until the job is no longer RUNNING (bounded: a stuck job fails the test).</summary>
    public static async Task<JsonElement> WaitForEndAsync(RestClient client, string jobId)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var (status, report) = await client.GetAsync($"/jobs/{jobId}");
            status.Should().Be(HttpStatusCode.OK);
            if (report.GetProperty("status").GetString() != "RUNNING" || DateTimeOffset.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>How many <c>spark.run</c> jobs exist (a refused submit must not change it).</summary>
    public static string[] Keys(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>How many <c>spark.run</c> jobs exist (so a test can show a refusal created none).</summary>
    public static async Task<int> SparkJobCountAsync(RestClient root)
    {
        var (_, count) = await root.GetAsync("/api/v2.0/core/get_jobs?method=spark.run&count=true");
        return count.GetInt32();
    }

    /// <summary><c>curl -X POST …/binaries/&lt;name&gt; -H "Content-Type: …" --data-binary @file</c>, which must succeed.</summary>
    public static async Task UploadAsync(RestClient client, string name, byte[] bytes, string contentType)
    {
        using var response = await client.SendAsync(HttpMethod.Post, $"/binaries/{name}", SparkDaemon.Binary(bytes, contentType));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static async Task UploadAsync(RestClient client, string name, string path) =>
        await UploadAsync(client, name, await File.ReadAllBytesAsync(path), "application/octet-stream");
}
