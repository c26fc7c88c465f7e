using System.Net.Http.Headers;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Spark;

/// <summary>One daemon for the Spark dialect's tests (a small binary limit to test 413), and a reader to call as.</summary>
public sealed class SparkDaemon : IAsyncLifetime
{
    public const string Password = "spark-password-for-tests";
    public const long MaxBinaryBytes = 64 * 1024;

    public Daemon Daemon { get; private set; } = null!;

    public RestClient Root => new(Daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

    public RestClient Reader => new(Daemon.BaseUri, Transfer.Basic("spark-reader", Password));

    public RestClient Anonymous => new(Daemon.BaseUri, null);

    public RestClient WrongPassword => new(Daemon.BaseUri, Transfer.Basic("root", "not-the-password"));

    public string BinariesFolder => Path.Combine(Daemon.DataDir, "spark", "binaries");

    public async Task InitializeAsync()
    {
        Daemon = await Support.Daemon.StartAsync([$"--JobServer:Spark:MaxBinaryBytes={MaxBinaryBytes}"]);
        using var root = Root;
        using var created = await root.SendAsync(HttpMethod.Post, "/api/v2.0/user",
            new { username = "spark-reader", password = Password, roles = new[] { "READONLY_ADMIN" } });
        created.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();

    /// <summary>A raw body with a Content-Type, as <c>curl --data-binary</c> sends it (null: no Content-Type).</summary>
    public static ByteArrayContent Binary(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    /// <summary>Bytes that start as a zip file does (every archive kind's signature).</summary>
    public static byte[] ZipLike(int size = 1024)
    {
        var bytes = new byte[size];
        "PK\u0003\u0004"u8.CopyTo(bytes);
        return bytes;
    }
}

/// <summary>The Spark test classes share one daemon.</summary>
[CollectionDefinition(Name)]
public sealed class SparkCollection : ICollectionFixture<SparkDaemon>
{
    public const string Name = "spark";
}
