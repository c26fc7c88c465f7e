using System.IO.Compression;
using System.Net;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>application/zip</c> binaries: a real <c>dotnet publish</c> output (a job using a project dependency) uploads,
/// extracts into its own folder, runs with its dependency loaded, and goes with <c>DELETE</c>; unsafe zips and
/// zips without an assembly are refused with spark's 400 and leave nothing behind.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkPublishedFolderTests(SparkDaemon fixture)
{
    private static readonly string[] Shouted = ["A!", "B!"];

    [Theory]
    [InlineData("")]
    [InlineData("publish/")]
    public async Task APublishedFolder_RunsWithItsDependency_SyncAndAsync(string prefix)
    {
        var job = await PublishedSparkJob.GetAsync();
        using var root = fixture.Root;
        var name = prefix.Length == 0 ? "shout" : "shout-nested";
        var foldersBefore = VersionFolders();

        var (uploaded, _) = await UploadAsync(root, name, job.Zip(prefix));
        var (_, info) = await root.GetAsync($"/binaries/{name}");
        var (syncStatus, sync) = await PostAsync(root, $"appName={name}&classPath={PublishedSparkJob.ClassName}&sync=true&timeout=60",
            "input.string = a b");
        var (_, started) = await PostAsync(root, $"appName={name}&classPath={PublishedSparkJob.ClassName}", "input.string = a b");
        var finished = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);

        uploaded.Should().Be(HttpStatusCode.Created);
        info.GetProperty("binary-type").GetString().Should().Be("Zip");
        var extracted = VersionFolders().Except(foldersBefore).Should().ContainSingle().Subject;
        File.Exists(Path.Combine(extracted, "WordTools.dll")).Should().BeTrue("the folder is extracted once, at upload");
        syncStatus.Should().Be(HttpStatusCode.OK, sync.GetRawText());
        sync.GetProperty("result").EnumerateArray().Select(e => e.GetString()).Should().Equal(Shouted);
        finished.GetProperty("status").GetString().Should().Be("FINISHED", finished.GetRawText());
        finished.GetProperty("result").EnumerateArray().Select(e => e.GetString()).Should().Equal(Shouted);
    }

    [Fact]
    public async Task Delete_RemovesTheExtractedFolder()
    {
        var job = await PublishedSparkJob.GetAsync();
        using var root = fixture.Root;
        var before = VersionFolders();
        await UploadAsync(root, "shout-doomed", job.Zip());
        var extracted = VersionFolders().Except(before).Single();

        var (status, _) = await root.CallAsync(HttpMethod.Delete, "/binaries/shout-doomed");

        status.Should().Be(HttpStatusCode.OK);
        Directory.Exists(extracted).Should().BeFalse();
        Directory.EnumerateDirectories(fixture.BinariesFolder).Should().NotContain(d => d.EndsWith(".deleting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheJobsAssemblyAlone_NeedsItsDependencyOnTheClassPath_AsAnotherBinary()
    {
        var job = await PublishedSparkJob.GetAsync();
        using var root = fixture.Root;
        await SparkJobsClient.UploadAsync(root, "shout-alone", await File.ReadAllBytesAsync(Path.Combine(job.Folder, "ShoutJob.dll")),
            "application/octet-stream");
        await SparkJobsClient.UploadAsync(root, "word-tools", await File.ReadAllBytesAsync(Path.Combine(job.Folder, "WordTools.dll")),
            "application/octet-stream");

        var (withStatus, with) = await PostAsync(root, $"appName=shout-alone&classPath={PublishedSparkJob.ClassName}&sync=true&timeout=60",
            "input.string = a b\ndependent-jar-uris = [\"word-tools\"]");
        var (withoutStatus, without) = await PostAsync(root, $"appName=shout-alone&classPath={PublishedSparkJob.ClassName}&sync=true&timeout=60",
            "input.string = a b");

        withStatus.Should().Be(HttpStatusCode.OK, with.GetRawText());
        with.GetProperty("result").EnumerateArray().Select(e => e.GetString()).Should().Equal(Shouted);
        withoutStatus.Should().Be(HttpStatusCode.OK);
        without.GetProperty("status").GetString().Should().Be("ERROR");
        without.GetProperty("result").GetProperty("message").GetString().Should().Contain("WordTools");
    }

    [Theory]
    [InlineData("../escaped.dll", "unsafe path")]
    [InlineData("/tmp/escaped.dll", "unsafe path")]
    [InlineData(null, "no .NET assembly")]
    public async Task AnUnsafeZip_OrOneWithoutAnAssembly_Answers400_AndStoresNothing(string? entry, string reason)
    {
        using var root = fixture.Root;
        var before = Directory.GetFileSystemEntries(fixture.BinariesFolder);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var readme = await archive.CreateEntry("readme.txt").OpenAsync())
            {
                await readme.WriteAsync("not an assembly"u8.ToArray());
            }

            if (entry is not null)
            {
                await using var escaping = await archive.CreateEntry(entry).OpenAsync();
                await escaping.WriteAsync("MZ"u8.ToArray());
            }
        }

        var (status, body) = await UploadAsync(root, "bad-zip", zip.ToArray());

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetString().Should().StartWith("Binary is not of the right format: ").And.Contain(reason);
        (await root.GetAsync("/binaries/bad-zip")).Status.Should().Be(HttpStatusCode.NotFound);
        Directory.GetFileSystemEntries(fixture.BinariesFolder).Should().BeEquivalentTo(before, "nothing is left behind");
        File.Exists("/tmp/escaped.dll").Should().BeFalse();
    }

    private string[] VersionFolders() => Directory.GetDirectories(fixture.BinariesFolder);

    private static async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> UploadAsync(Rest.RestClient client,
        string name, byte[] bytes)
    {
        using var response = await client.SendAsync(HttpMethod.Post, $"/binaries/{name}", SparkDaemon.Binary(bytes, "application/zip"));
        return (response.StatusCode, await Rest.RestClient.BodyOf(response));
    }
}
