using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// <c>/binaries</c> against a real daemon with a real <see cref="HttpClient"/>: every row of reference §1.1 and
/// behaviours 1–8 of §1.5, plus the dialect's own promises (streamed to disk, size limit, credentials).
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkBinariesTests(SparkDaemon fixture)
{
    [Fact]
    public async Task Post_Jar_Answers201Success_AndGetShowsExactlyItsThreeKeys()
    {
        using var root = fixture.Root;

        var (status, body) = await PostAsync(root, "demo-jar", SparkDaemon.ZipLike(), "application/java-archive");
        var (getStatus, info) = await root.GetAsync("/binaries/demo-jar");

        status.Should().Be(HttpStatusCode.Created);
        body.GetRawText().Should().Be("""{"status":"SUCCESS"}""");
        getStatus.Should().Be(HttpStatusCode.OK);
        info.EnumerateObject().Select(p => p.Name).Should().Equal("app-name", "binary-type", "upload-time");
        info.GetProperty("app-name").GetString().Should().Be("demo-jar");
        info.GetProperty("binary-type").GetString().Should().Be("Jar");
        DateTime.ParseExact(info.GetProperty("upload-time").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            CultureInfo.InvariantCulture).Should().BeAfter(new DateTime(2020, 1, 1));
    }

    [Fact]
    public async Task GetBinaries_IsAnObjectOfNameToTypeAndUploadTime()
    {
        using var root = fixture.Root;
        await PostAsync(root, "listed-egg", SparkDaemon.ZipLike(), "application/python-egg");
        await PostAsync(root, "listed-wheel", SparkDaemon.ZipLike(), "application/python-wheel");

        var (status, listing) = await root.GetAsync("/binaries");

        status.Should().Be(HttpStatusCode.OK);
        listing.ValueKind.Should().Be(JsonValueKind.Object);
        listing.GetProperty("listed-egg").EnumerateObject().Select(p => p.Name).Should().Equal("binary-type", "upload-time");
        listing.GetProperty("listed-egg").GetProperty("binary-type").GetString().Should().Be("Egg");
        listing.GetProperty("listed-wheel").GetProperty("binary-type").GetString().Should().Be("Wheel");
    }

    [Fact]
    public async Task GetUnknown_Answers404_WithSparksBody()
    {
        using var root = fixture.Root;

        var (status, body) = await root.GetAsync("/binaries/nonexisting");

        status.Should().Be(HttpStatusCode.NotFound);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"Can't find binary with name nonexisting"}""");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Post_WithoutOrWithAnUnknownContentType_Answers415_AndStoresNothing(string? contentType)
    {
        using var root = fixture.Root;

        var (status, body) = await PostAsync(root, "typeless", SparkDaemon.ZipLike(), contentType);

        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body.GetProperty("status").GetString().Should().Be("ERROR");
        body.GetProperty("result").GetString().Should().StartWith("Unsupported binary type");
        (await root.GetAsync("/binaries/typeless")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("application/java-archive")]
    [InlineData("application/python-wheel")]
    [InlineData("application/octet-stream")]
    public async Task Post_ABodyThatIsNotWhatItsTypeSays_Answers400_AndStoresNothing(string contentType)
    {
        using var root = fixture.Root;

        var (status, body) = await PostAsync(root, "not-a-binary", Encoding.UTF8.GetBytes("hello, world"), contentType);

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetRawText().Should().Be("""{"status":"ERROR","result":"Binary is not of the right format"}""");
        (await root.GetAsync("/binaries/not-a-binary")).Status.Should().Be(HttpStatusCode.NotFound);
        Directory.EnumerateFiles(fixture.BinariesFolder, "*.part").Should().BeEmpty();
    }

    [Fact]
    public async Task Post_DotNetAssemblyAndPublishedZip_AreStoredAsDllAndZip()
    {
        using var root = fixture.Root;
        var assembly = await File.ReadAllBytesAsync(typeof(Sdk.Role).Assembly.Location);
        using var zipped = new MemoryStream();
        using (var archive = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = archive.CreateEntry("JobServer.Sdk.dll").Open();
            await entry.WriteAsync(assembly);
        }

        (await PostAsync(root, "dotnet-dll", assembly[..60_000], "application/vnd.microsoft.portable-executable"))
            .Status.Should().Be(HttpStatusCode.Created);
        (await PostAsync(root, "dotnet-zip", zipped.ToArray(), "application/zip")).Status.Should().Be(HttpStatusCode.Created);

        (await root.GetAsync("/binaries/dotnet-dll")).Body.GetProperty("binary-type").GetString().Should().Be("Dll");
        (await root.GetAsync("/binaries/dotnet-zip")).Body.GetProperty("binary-type").GetString().Should().Be("Zip");
    }

    [Fact]
    public async Task Post_LargerThanTheLimit_Answers413_WithOrWithoutContentLength_AndStoresNothing()
    {
        using var root = fixture.Root;
        var tooLarge = SparkDaemon.ZipLike((int)SparkDaemon.MaxBinaryBytes + 1);

        var declared = await PostAsync(root, "too-large", tooLarge, "application/java-archive");
        using var chunked = new ChunkedContent(new ByteArrayContent(tooLarge));
        chunked.Headers.ContentType = new("application/java-archive");
        using var streamed = await root.SendAsync(HttpMethod.Post, "/binaries/too-large", chunked);

        declared.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        declared.Body.GetProperty("status").GetString().Should().Be("ERROR");
        streamed.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await root.GetAsync("/binaries/too-large")).Status.Should().Be(HttpStatusCode.NotFound);
        Directory.EnumerateFiles(fixture.BinariesFolder, "*.part").Should().BeEmpty();
    }

    [Fact]
    public async Task Reupload_MakesANewVersion_ThatGetShows_WithANotEarlierUploadTime()
    {
        using var root = fixture.Root;
        await PostAsync(root, "versioned", SparkDaemon.ZipLike(), "application/java-archive");
        var first = (await root.GetAsync("/binaries/versioned")).Body;

        var (status, _) = await PostAsync(root, "versioned", SparkDaemon.ZipLike(), "application/python-wheel");
        var second = (await root.GetAsync("/binaries/versioned")).Body;

        status.Should().Be(HttpStatusCode.Created);
        second.GetProperty("binary-type").GetString().Should().Be("Wheel", "the newest version is shown");
        string.CompareOrdinal(second.GetProperty("upload-time").GetString(), first.GetProperty("upload-time").GetString())
            .Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Delete_RemovesEveryVersionAndItsFiles_ThenGetAndDeleteAnswer404()
    {
        using var root = fixture.Root;
        var filesBefore = Directory.EnumerateFiles(fixture.BinariesFolder).Count();
        await PostAsync(root, "doomed", SparkDaemon.ZipLike(), "application/java-archive");
        await PostAsync(root, "doomed", SparkDaemon.ZipLike(), "application/java-archive");

        var (status, body) = await root.CallAsync(HttpMethod.Delete, "/binaries/doomed");
        var again = await root.CallAsync(HttpMethod.Delete, "/binaries/doomed");

        status.Should().Be(HttpStatusCode.OK);
        body.GetRawText().Should().Be("""{"status":"SUCCESS"}""");
        (await root.GetAsync("/binaries")).Body.TryGetProperty("doomed", out _).Should().BeFalse();
        again.Status.Should().Be(HttpStatusCode.NotFound);
        again.Body.GetRawText().Should().Be("""{"status":"ERROR","result":"can't find binary with name doomed"}""");
        Directory.EnumerateFiles(fixture.BinariesFolder).Count().Should().BeLessThanOrEqualTo(filesBefore);
    }

    [Fact]
    public async Task MethodOverride_PostWithUnderscoreMethodDelete_Deletes()
    {
        using var root = fixture.Root;
        await PostAsync(root, "overridden", SparkDaemon.ZipLike(), "application/java-archive");

        var (status, _) = await root.CallAsync(HttpMethod.Post, "/binaries/overridden?_method=DELETE");

        status.Should().Be(HttpStatusCode.OK);
        (await root.GetAsync("/binaries/overridden")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_WithABadName_Answers400_AndStoresNothing()
    {
        using var root = fixture.Root;

        var (status, body) = await PostAsync(root, "bad%24name", SparkDaemon.ZipLike(), "application/java-archive");
        var (dotted, _) = await PostAsync(root, ".hidden", SparkDaemon.ZipLike(), "application/java-archive");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetString().Should().Be("ERROR");
        dotted.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EveryRoute_NeedsCredentials_AndAReaderMayOnlyRead()
    {
        using var root = fixture.Root;
        using var reader = fixture.Reader;
        using var anonymous = fixture.Anonymous;
        using var wrong = fixture.WrongPassword;
        await PostAsync(root, "guarded", SparkDaemon.ZipLike(), "application/java-archive");

        (await anonymous.GetAsync("/binaries")).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/binaries/guarded")).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await PostAsync(anonymous, "guarded", SparkDaemon.ZipLike(), "application/java-archive")).Status
            .Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.GetAsync("/binaries")).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await reader.GetAsync("/binaries/guarded")).Status.Should().Be(HttpStatusCode.OK);
        (await PostAsync(reader, "guarded", SparkDaemon.ZipLike(), "application/python-egg")).Status
            .Should().Be(HttpStatusCode.Forbidden);
        (await reader.CallAsync(HttpMethod.Delete, "/binaries/guarded")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await root.GetAsync("/binaries/guarded")).Body.GetProperty("binary-type").GetString()
            .Should().Be("Jar", "the refused upload changed nothing");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        RestClient client, string name, byte[] bytes, string? contentType)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "/binaries/" + name, SparkDaemon.Binary(bytes, contentType));
        return (response.StatusCode, await RestClient.BodyOf(response));
    }

    [Fact]
    public async Task TheIndex_IsInSparkDb_OnSqlite_AndInTheDaemonsDatabase_OnPostgreSql()
    {
        using var root = fixture.Root;
        (await PostAsync(root, "indexed", SparkDaemon.ZipLike(), "application/java-archive")).Status.Should().Be(HttpStatusCode.Created);

        File.Exists(Path.Combine(fixture.Daemon.DataDir, "spark.db")).Should().Be(!TestDatabases.UsePostgres);
        (await root.GetAsync("/binaries/indexed")).Status.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Sends its inner content without a Content-Length (chunked), as a streaming client does.</summary>
    private sealed class ChunkedContent(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
