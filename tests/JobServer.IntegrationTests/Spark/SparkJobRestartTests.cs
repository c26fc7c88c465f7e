using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>Beyond spark-jobserver (its results live in a context's memory): results and reports survive a restart.</summary>
public sealed class SparkJobRestartTests
{
    [Fact]
    public async Task AFinishedJobsReportAndResult_AndItsConfig_SurviveARestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-spark-restart").FullName;
        string jobId;
        await using (var first = await Daemon.StartAsync(dataDir: dataDir))
        {
            using var root = new RestClient(first.BaseUri, Transfer.Basic("root", Daemon.RootPassword));
            await UploadWordCountAsync(root);
            var (_, sync) = await PostAsync(root, $"appName=test&classPath={WordCount}&sync=true&timeout=60",
                "input.string = a b c a b see");
            jobId = sync.GetProperty("jobId").GetString()!;
            await first.StopAsync();
        }

        await using var second = await Daemon.StartAsync(dataDir: dataDir);
        using var again = new RestClient(second.BaseUri, Transfer.Basic("root", Daemon.RootPassword));
        var (status, report) = await again.GetAsync($"/jobs/{jobId}");
        var (_, config) = await again.GetAsync($"/jobs/{jobId}/config");
        var (_, listing) = await again.GetAsync("/jobs");

        status.Should().Be(HttpStatusCode.OK);
        report.GetProperty("status").GetString().Should().Be("FINISHED");
        report.GetProperty("result").GetRawText().Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
        config.GetRawText().Should().Be("""{"input":{"string":"a b c a b see"}}""");
        listing.EnumerateArray().Select(r => r.GetProperty("jobId").GetString()).Should().Contain(jobId);
        await second.StopAsync();
        Directory.Delete(dataDir, recursive: true);
    }
}
