using System.Net;
using System.Net.Http.Headers;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Observability;

/// <summary>
/// Issue 17 (operators): <c>/metrics</c> in Prometheus text format after a known workload, and who may read it.
/// The workload test runs the daemon as its own process: meters are per process, and the in-process daemons of
/// other tests running meanwhile must not add to its counts.
/// </summary>
public sealed class MetricsTests
{
    private const string Token = "scrape-token-0123456789";

    [Fact]
    public async Task Scrape_AfterAKnownWorkload_CountsItsJobsConnectionsHttpAndTransfers()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-metrics").FullName;
        await using var daemon = await DaemonProcess.StartAsync(dataDir,
            [.. JobsDaemon.Args, $"--JobServer:Metrics:Token={Token}"]);
        await using var client = await daemon.ConnectAsRootAsync();
        for (var i = 0; i < 3; i++)
        {
            var echo = (await client.CallResultAsync("testjobs.echo", i)).GetInt64();
            (await client.CallResultAsync("core.job_wait", echo)).GetInt32().Should().Be(i);
        }

        var failing = (await client.CallResultAsync("testjobs.fail", "on purpose")).GetInt64();
        (await client.CallAsync("core.job_wait", failing)).TryGetProperty("error", out _).Should().BeTrue();
        using var upload = await Transfer.UploadAsync(daemon.BaseUri, Transfer.Multipart(
            ("data", Transfer.Data("testjobs.consume")), ("file", new ByteArrayContent(new byte[1000]))));
        upload.StatusCode.Should().Be(HttpStatusCode.OK);
        var uploadJob = (await Transfer.JsonAsync(upload)).GetProperty("job_id").GetInt64();
        await client.CallResultAsync("core.job_wait", uploadJob);
        var (downloadJob, url) = await Transfer.OfferAsync(client, "testjobs.produce", [700], "out.bin");
        using (var http = Transfer.Client(daemon.BaseUri))
        {
            (await http.GetByteArrayAsync(new Uri(url, UriKind.Relative))).Should().HaveCount(700);
        }

        await client.CallResultAsync("core.job_wait", downloadJob);

        var scrape = new PrometheusScrape(await ScrapeAsync(daemon.BaseUri, Token));

        scrape.Sum("jobserver_jobs_submitted_total", ("method", "testjobs.echo")).Should().Be(3);
        scrape.Sum("jobserver_jobs_finished_total", ("method", "testjobs.echo"), ("state", "SUCCESS")).Should().Be(3);
        scrape.Sum("jobserver_jobs_finished_total", ("method", "testjobs.fail"), ("state", "FAILED")).Should().Be(1);
        scrape.Sum("jobserver_jobs_finished_total", ("method", "testjobs.echo"), ("state", "FAILED")).Should().Be(0);
        scrape.Sum("jobserver_jobs_duration_seconds_count", ("method", "testjobs.echo"), ("state", "SUCCESS"))
            .Should().Be(3);
        scrape.Sum("jobserver_jobs_pickup_latency_seconds_count").Should().Be(6, "six jobs started");
        scrape.Sum("jobserver_jobs_waiting").Should().Be(0);
        scrape.Sum("jobserver_jobs_running").Should().Be(0);
        scrape.Sum("jobserver_job_writer_batch_size_count").Should().BeGreaterThan(0);
        scrape.Has("jobserver_job_writer_commit_duration_seconds_bucket").Should().BeTrue();
        scrape.Sum("jobserver_websocket_connections", ("dialect", "DDP")).Should().Be(1, "the test's client is open");
        // Handshake, login, 3 × (echo + wait), fail + wait, the upload's wait, the download's offer and wait.
        scrape.Sum("jobserver_websocket_messages_total", ("dialect", "DDP"), ("direction", "received"))
            .Should().BeGreaterThanOrEqualTo(13);
        scrape.Sum("jobserver_transfers_bytes_total", ("direction", "upload")).Should().Be(1000);
        scrape.Sum("jobserver_transfers_bytes_total", ("direction", "download")).Should().Be(700);
        scrape.Sum("http_server_request_duration_seconds_count", ("http_route", "/_upload/{**path}"))
            .Should().Be(1, "ASP.NET Core's own meter counts HTTP requests");
    }

    [Fact]
    public async Task Scrape_WithATokenConfigured_RefusesNoTokenAndAWrongOne()
    {
        await using var daemon = await Daemon.StartAsync([$"--JobServer:Metrics:Token={Token}"]);
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };

        using var none = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var wrong = await SendAsync(http, "not-the-token");
        using var right = await SendAsync(http, Token);

        none.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).Should().NotContain("jobserver_");
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync()).Should().Contain("# TYPE");
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Scrape_WithAnotherVerbThanGet_Is405(string verb)
    {
        await using var daemon = await Daemon.StartAsync([$"--JobServer:Metrics:Token={Token}"]);
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        using var request = new HttpRequestMessage(new HttpMethod(verb), "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo("GET", "HEAD");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("jobserver_");
    }

    [Theory]
    [InlineData("--JobServer:Metrics:AllowedAddresses:0=10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("--JobServer:Metrics:AllowedAddresses:0=127.0.0.1", HttpStatusCode.OK)]
    [InlineData("--JobServer:Metrics:AllowedAddresses:0=127.0.0.0/8", HttpStatusCode.OK)]
    [InlineData("--JobServer:Metrics:Enabled=false", HttpStatusCode.NotFound)]
    public async Task Scrape_WithoutToken_IsServedRefusedOrAbsentAsTheSettingsSay(string setting, HttpStatusCode expected)
    {
        await using var daemon = await Daemon.StartAsync([setting]);
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        response.StatusCode.Should().Be(expected);
    }

    private static async Task<string> ScrapeAsync(Uri baseUri, string token)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        using var response = await SendAsync(http, token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}
