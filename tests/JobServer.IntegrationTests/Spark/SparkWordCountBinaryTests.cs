using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Spark;

/// <summary>The built <c>examples/WordCount</c> assembly uploads as a .NET binary, as docs/spark.md prints it.</summary>
[Collection(SparkCollection.Name)]
public sealed class SparkWordCountBinaryTests(SparkDaemon fixture)
{
    [Fact]
    public async Task TheBuiltWordCountDll_UploadsAsADllBinary()
    {
        using var root = fixture.Root;
        var dll = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.ExampleOutput("WordCount"), "WordCount.dll"));

        using var response = await root.SendAsync(HttpMethod.Post, "/binaries/wordcount",
            SparkDaemon.Binary(dll, "application/octet-stream"));
        var (status, info) = await root.GetAsync("/binaries/wordcount");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        status.Should().Be(HttpStatusCode.OK);
        info.GetProperty("binary-type").GetString().Should().Be("Dll");
    }
}
