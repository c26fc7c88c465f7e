using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// The server's job config (<c>JobServer:Spark:JobConfig</c>, behaviour 14) through <c>POST /jobs</c>: merged under
/// the posted one (posted keys win, nested objects key by key), what the job sees and what
/// <c>GET /jobs/&lt;id&gt;/config</c> answers.
/// </summary>
public sealed class SparkServerJobConfigTests(SparkServerJobConfigTests.ConfiguredDaemon fixture)
    : IClassFixture<SparkServerJobConfigTests.ConfiguredDaemon>
{
    private const string ServerConfig =
        """{"input":{"string":"server words server"},"server":{"nested":{"a":1,"b":2},"list":[1,2]}}""";

    [Fact]
    public async Task AJobWithoutItsOwnInput_SeesTheServersConfig()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "wc");

        var (status, body) = await PostAsync(root, $"appName=wc&classPath={WordCount}&sync=true&timeout=60", "other = 1");

        status.Should().Be(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("result").GetRawText().Should().Be("""{"server":2,"words":1}""");
    }

    [Fact]
    public async Task PostedKeysWin_NestedObjectsMerge_AndGetConfigAnswersTheMergedConfig()
    {
        using var root = fixture.Root;
        await UploadWordCountAsync(root, "wc");

        var (status, sync) = await PostAsync(root, $"appName=wc&classPath={WordCount}&sync=true&timeout=60",
            "input.string = mine\nserver.nested.b = 3\nserver.list = [9]");
        var (_, started) = await PostAsync(root, $"appName=wc&classPath={WordCount}", """{"server":{"nested":{"c":4}}}""");
        var (syncConfigStatus, syncConfig) = await root.GetAsync($"/jobs/{sync.GetProperty("jobId").GetString()}/config");
        var (_, asyncConfig) = await root.GetAsync($"/jobs/{started.GetProperty("jobId").GetString()}/config");

        status.Should().Be(HttpStatusCode.OK, sync.GetRawText());
        sync.GetProperty("result").GetRawText().Should().Be("""{"mine":1}""");
        syncConfigStatus.Should().Be(HttpStatusCode.OK);
        syncConfig.GetRawText().Should().Be("""{"input":{"string":"mine"},"server":{"nested":{"a":1,"b":3},"list":[9]}}""");
        asyncConfig.GetRawText().Should().Be(
            """{"input":{"string":"server words server"},"server":{"nested":{"a":1,"b":2,"c":4},"list":[1,2]}}""");
    }

    /// <summary>A daemon with a server job config (apart from the shared Spark daemon, whose jobs see none).</summary>
    public sealed class ConfiguredDaemon : IAsyncLifetime
    {
        public Daemon Daemon { get; private set; } = null!;

        public RestClient Root => new(Daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

        public async Task InitializeAsync() =>
            Daemon = await Support.Daemon.StartAsync([$"--JobServer:Spark:JobConfig={ServerConfig}"]);

        public async Task DisposeAsync() => await Daemon.DisposeAsync();
    }
}
